// `git log` read as git writes it, and stopped (the process killed, not just the parsing) once the reader knows
// enough: simple-git's `raw` buffers the whole output, so this spawns git directly, with simple-git's environment.
import { spawn } from "node:child_process";
import type { LoggedCommit } from "../core/history/last-changes.js";
import { gitProcessEnv } from "./git-env.js";
import { GitError } from "./git-error.js";
import { createNameStatusLogParser } from "./parse-name-status-log.js";

/** What a walk read: the commits parsed, and whether the reader stopped git before the end of its output. */
export interface LogWalkStats {
  commits: number;
  stopped: boolean;
}

/**
 * The `git log` format createNameStatusLogParser reads. Short on purpose: git runs ahead of the reader by up to a
 * pipe's worth of output before it is stopped.
 */
export const NAME_STATUS_LOG_FORMAT = "--format=format:%x01%H%x09%ct";

const STDERR_LIMIT = 4096;

/**
 * Runs `git <args>` (a `git log -z --name-status` in NAME_STATUS_LOG_FORMAT) in `dir` and hands each commit to
 * `onCommit`, newest first; when it returns true, git is killed and the walk ends. A git failure before that
 * rejects with a GitError (an unreadable history is never an empty one).
 */
export function streamGitLog(
  dir: string,
  args: readonly string[],
  onCommit: (commit: LoggedCommit) => boolean,
): Promise<LogWalkStats> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("git", args, { cwd: dir, env: gitProcessEnv(), stdio: ["ignore", "pipe", "pipe"] });
    const stats: LogWalkStats = { commits: 0, stopped: false };
    let stderr = "";
    const parser = createNameStatusLogParser((commit) => {
      stats.commits += 1;
      return onCommit(commit);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < STDERR_LIMIT) stderr += chunk.toString("utf8");
    });
    child.stdout.on("data", (chunk: Buffer) => {
      if (stats.stopped || parser.push(chunk)) return;
      stats.stopped = true;
      child.stdout.destroy();
      child.kill("SIGKILL");
      resolvePromise(stats);
    });
    child.on("error", (error) => reject(new GitError("git-failed", `git log: ${error.message}`)));
    child.on("close", (code) => {
      if (stats.stopped) return;
      if (code !== 0) {
        reject(new GitError("git-failed", `git log exited ${code}: ${stderr.trim().slice(0, STDERR_LIMIT)}`));
        return;
      }
      parser.end();
      resolvePromise(stats);
    });
  });
}
