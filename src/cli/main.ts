import { runProgram } from "./program.js";
import { commands } from "./commands.js";
import { describeError, exitCodeFor } from "./run-action.js";
import { proxyAwareFetch } from "./proxy-aware-fetch.js";
import { tuneHeap } from "./tune-heap.js";
import type { CliContext } from "./cli-context.js";

/** The process entry point (bin/grantops.js): builds the real context and runs the program. */
export async function main(argv: string[]): Promise<number> {
  tuneHeap(process.execArgv);
  const controller = new AbortController();
  const stop = (): void => controller.abort(new Error("terminated by signal"));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  const ctx: CliContext = {
    env: process.env,
    cwd: process.cwd(),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    clock: () => new Date(),
    fetch: proxyAwareFetch(process.env),
    signal: controller.signal,
  };
  try {
    return await runProgram(ctx, argv, commands);
  } catch (error) {
    ctx.stderr(describeError(error, process.env["GRANTOPS_DEBUG"] === "1"));
    return exitCodeFor(error);
  } finally {
    process.off("SIGTERM", stop);
    process.off("SIGINT", stop);
  }
}
