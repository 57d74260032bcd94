import { GrantopsError } from "../core/model/grantops-error.js";
import { ExitCode } from "../core/model/exit-codes.js";
import type { CliContext } from "./cli-context.js";

/** Holds the exit code of the command that ran. */
export interface ExitBox {
  code: number;
}

/**
 * Wraps a command's action: the action returns its exit code; errors become a one-line message and their
 * exit code here, in the only place that maps errors to exit codes. Stack traces only for unexpected
 * errors, and only with GRANTOPS_DEBUG=1.
 */
export function runAction<A extends unknown[]>(
  ctx: CliContext,
  box: ExitBox,
  action: (...args: A) => Promise<number>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      box.code = await action(...args);
    } catch (error) {
      box.code = exitCodeFor(error);
      ctx.stderr(describeError(error, ctx.env["GRANTOPS_DEBUG"] === "1"));
    }
  };
}

export function exitCodeFor(error: unknown): number {
  return error instanceof GrantopsError ? error.exitCode : ExitCode.internal;
}

export function describeError(error: unknown, debug: boolean): string {
  if (error instanceof GrantopsError) {
    const line = `grantops: error: ${error.message} [${error.code}]\n`;
    return debug && error.stack ? `${line}${error.stack}\n` : line;
  }
  const message = error instanceof Error ? error.message : String(error);
  const hint = debug
    ? `\n${error instanceof Error ? (error.stack ?? "") : ""}`
    : " (set GRANTOPS_DEBUG=1 for details)";
  return `grantops: internal error: ${message}${hint}\n`;
}
