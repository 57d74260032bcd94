import { runProgram } from "../../src/cli/program.js";
import { commands } from "../../src/cli/commands.js";
import type { CliContext } from "../../src/cli/cli-context.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The program a run calls: the sources' (runCli) or another build of them (the benchmarks run the built dist/). */
export interface CliProgram {
  runProgram: typeof runProgram;
  commands: typeof commands;
}

/** The program as the sources define it. */
export const sourceProgram: CliProgram = { runProgram, commands };

/** Runs grantops in-process with an injected context (no process spawning); args exclude "node grantops". */
export function runCli(args: string[], overrides: Partial<CliContext> = {}): Promise<CliRun> {
  return runCliWith(sourceProgram, args, overrides);
}

/** runCli with the given program. */
export async function runCliWith(
  program: CliProgram,
  args: string[],
  overrides: Partial<CliContext> = {},
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const ctx: CliContext = {
    env: {},
    cwd: process.cwd(),
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    clock: () => new Date(),
    fetch: globalThis.fetch,
    signal: new AbortController().signal,
    ...overrides,
  };
  const code = await program.runProgram(ctx, ["node", "grantops", ...args], program.commands);
  return { code, stdout, stderr };
}
