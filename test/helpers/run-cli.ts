import { runProgram } from "../../src/cli/program.js";
import { commands } from "../../src/cli/commands.js";
import type { CliContext } from "../../src/cli/cli-context.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs grantops in-process with an injected context (no process spawning); args exclude "node grantops". */
export async function runCli(args: string[], overrides: Partial<CliContext> = {}): Promise<CliRun> {
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
  const code = await runProgram(ctx, ["node", "grantops", ...args], commands);
  return { code, stdout, stderr };
}
