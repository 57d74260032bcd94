import { GrantopsError } from "../core/model/grantops-error.js";
import { redactUrl } from "./redact-url.js";

/** A git command failed (unreadable repository, unknown ref, network). Aborts the run: exit 1. */
export class GitError extends GrantopsError {
  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(code, redactUrl(message), options);
    this.name = "GitError";
  }
}

/** Wraps a failing git call in a GitError whose message names what we were doing, credentials removed. */
export async function runGit<T>(what: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof GitError) throw error;
    const detail = error instanceof Error ? error.message.trim() : String(error);
    throw new GitError("git-failed", `${what}: ${detail}`);
  }
}
