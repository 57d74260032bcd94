import { appendFile, chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProgram } from "../cli/program.js";
import { commands } from "../cli/commands.js";
import { describeError, exitCodeFor } from "../cli/run-action.js";
import { proxyAwareFetch } from "../cli/proxy-aware-fetch.js";
import type { CliContext } from "../cli/cli-context.js";
import { actionInvocation, type ActionSetting } from "./action-invocation.js";

/** Answers git's username and password prompts with the token from the environment (never written to disk). */
const ASKPASS = `#!/bin/sh
case "$1" in
  Username*) printf '%s\\n' x-access-token ;;
  *) printf '%s\\n' "$GRANTOPS_GIT_TOKEN" ;;
esac
`;

/**
 * The Action's entry point: maps the inputs onto the CLI (see action-invocation.ts), runs the command in this
 * process and returns its exit code (also written as the `exit-code` output). `env` is the process environment:
 * the variables the command needs are added to it, since git child processes read it too.
 */
export async function runGitHubAction(env: NodeJS.ProcessEnv): Promise<number> {
  const stderr = (text: string): void => void process.stderr.write(text);
  let cleanup = (): Promise<void> => Promise.resolve();
  const controller = new AbortController();
  const stop = (): void => controller.abort(new Error("terminated by signal"));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  try {
    const invocation = actionInvocation({ env, event: await readEvent(env["GITHUB_EVENT_PATH"]) });
    Object.assign(env, invocation.env);
    if (invocation.gitToken !== null) cleanup = await useAskPass(env, invocation.gitToken);
    const ctx: CliContext = {
      env,
      cwd: process.cwd(),
      stdout: (text) => void process.stdout.write(text),
      stderr,
      clock: () => new Date(),
      fetch: proxyAwareFetch(env),
      signal: controller.signal,
    };
    const code = await runProgram(ctx, ["node", "grantops", ...invocation.args], commands);
    await writeOutput(env["GITHUB_OUTPUT"], code);
    return code;
  } catch (error) {
    stderr(describeError(error, env["GRANTOPS_DEBUG"] === "1"));
    return exitCodeFor(error);
  } finally {
    process.off("SIGTERM", stop);
    process.off("SIGINT", stop);
    await cleanup();
  }
}

async function readEvent(path: string | undefined): Promise<ActionSetting["event"]> {
  if (!path) return {};
  return JSON.parse(await readFile(path, "utf8")) as ActionSetting["event"];
}

/** GIT_ASKPASS: a script in a private temporary folder that prints the token held in GRANTOPS_GIT_TOKEN. */
async function useAskPass(env: NodeJS.ProcessEnv, token: string): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(env["RUNNER_TEMP"] ?? tmpdir(), "grantops-askpass-"));
  const script = join(dir, "askpass.sh");
  await writeFile(script, ASKPASS, { mode: 0o700 });
  await chmod(script, 0o700);
  env["GIT_ASKPASS"] = script;
  env["GRANTOPS_GIT_TOKEN"] = token;
  return () => rm(dir, { recursive: true, force: true });
}

async function writeOutput(path: string | undefined, code: number): Promise<void> {
  if (path) await appendFile(path, `exit-code=${code}\n`);
}
