import { randomUUID } from "node:crypto";
import { hostname } from "node:os";

/** Who writes journal entries and in which run (stamped on every entry; see docs/git-and-apply.md). */
export interface JournalWriter {
  /** The command, host and process: `serve@host-a pid 4242`. */
  writer: string;
  /** The GitHub Actions run URL, else a random id for this process (a `serve` instance, an `apply` run). */
  run: string;
}

export function journalWriterOf(
  command: string,
  env: Readonly<Record<string, string | undefined>>,
  host: string = hostname(),
  pid: number = process.pid,
): JournalWriter {
  const actionsRun =
    env["GITHUB_ACTIONS"] === "true" && env["GITHUB_RUN_ID"] && env["GITHUB_REPOSITORY"]
      ? `${env["GITHUB_SERVER_URL"] ?? "https://github.com"}/${env["GITHUB_REPOSITORY"]}/actions/runs/${env["GITHUB_RUN_ID"]}`
      : null;
  return { writer: `${command}@${host} pid ${pid}`, run: actionsRun ?? randomUUID() };
}
