import { ExitCode, type ExitCodeValue } from "./exit-codes.js";

/**
 * The base error of grantops. `code` is stable and machine-readable; `message` is for people and never
 * holds a secret. The CLI maps `exitCode` to the process exit code in one place (src/cli/run-action.ts).
 */
export class GrantopsError extends Error {
  readonly code: string;
  readonly exitCode: ExitCodeValue;

  constructor(code: string, message: string, options: { exitCode?: ExitCodeValue; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "GrantopsError";
    this.code = code;
    this.exitCode = options.exitCode ?? ExitCode.internal;
  }
}

/** Bad input from the user (arguments, configuration, files): exit 4, no stack trace. */
export class InvalidInputError extends GrantopsError {
  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { ...options, exitCode: ExitCode.invalid });
    this.name = "InvalidInputError";
  }
}
