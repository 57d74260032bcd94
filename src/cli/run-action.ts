import { GrantopsError } from "../core/model/grantops-error.js";
import { ExitCode } from "../core/model/exit-codes.js";
import { VendorApiError } from "../secure-access/vendor-api-error.js";
import { inertTerminal } from "../core/report/inert-terminal.js";
import type { CliContext } from "./cli-context.js";

/** Holds the exit code of the command that ran. */
export interface ExitBox {
  code: number;
}

/**
 * Wraps a command's action: the action returns its exit code; errors become a one-line message and their
 * exit code here, in the only place that maps errors to exit codes. Stack traces only for unexpected
 * errors (not GrantopsError: those are explained by their message), and only with GRANTOPS_DEBUG=1.
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

/** The exit code of an error: rejected vendor credentials are bad input (4), like any configuration mistake. */
export function exitCodeFor(error: unknown): number {
  if (isRejectedCredentials(error)) return ExitCode.invalid;
  return error instanceof GrantopsError ? error.exitCode : ExitCode.internal;
}

function isRejectedCredentials(error: unknown): boolean {
  return (
    error instanceof VendorApiError &&
    error.code === "TOKEN_FAILED" &&
    (error.status === 401 || error.status === 403)
  );
}

export function describeError(error: unknown, debug: boolean): string {
  if (error instanceof GrantopsError) return `grantops: error: ${visible(error.message)} [${error.code}]\n`;
  const message = error instanceof Error ? error.message : String(error);
  const hint = debug
    ? `\n${error instanceof Error ? (error.stack ?? "") : ""}`
    : " (set GRANTOPS_DEBUG=1 for details)";
  return `grantops: internal error: ${visible(message)}${hint}\n`;
}

/** A message for the terminal: its own line breaks kept (lists of problems), every other control shown escaped. */
function visible(message: string): string {
  return message.split("\n").map(inertTerminal).join("\n");
}
