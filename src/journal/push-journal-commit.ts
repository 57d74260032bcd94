import { createGit, type GitFactory } from "../git/git-env.js";
import { GitError } from "../git/git-error.js";
import type { JournalTarget } from "./journal-target.js";

/** The push was refused because the branch moved since it was fetched (another writer published first). */
export class JournalConflictError extends GitError {
  constructor(message: string) {
    super("journal-conflict", message);
    this.name = "JournalConflictError";
  }
}

/** Rejections that mean "someone else pushed first": fetch again and retry. */
const CONFLICT = /\[rejected\]|non-fast-forward|fetch first|cannot lock ref|failed to update ref|stale info/i;

/**
 * Pushes `commit` to the journal branch without force: the remote accepts it only when it descends from the
 * branch's current commit. A refusal because the branch moved is a JournalConflictError; the tracking ref is
 * updated after a successful push.
 */
export async function pushJournalCommit(
  target: JournalTarget,
  commit: string,
  git: GitFactory = createGit,
): Promise<void> {
  try {
    // Not --quiet: simple-git waits 50 ms more for a command that writes nothing (see resolve-ref.ts, commitOf).
    await git(target.dir).raw(["push", target.remote, `${commit}:refs/heads/${target.branch}`]);
  } catch (error) {
    const message = error instanceof Error ? error.message.trim() : String(error);
    if (CONFLICT.test(message)) throw new JournalConflictError(`git push ${target.branch}: ${message}`);
    throw new GitError("journal-push", `git push ${target.remote} ${target.branch}: ${message}`);
  }
  await git(target.dir).raw(["update-ref", target.trackingRef, commit]);
}
