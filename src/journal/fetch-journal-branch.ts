import { createGit, type GitFactory } from "../git/git-env.js";
import { GitError, runGit } from "../git/git-error.js";
import type { JournalTarget } from "./journal-target.js";

/**
 * Fetches the journal branch into the target's tracking ref; resolves with its commit, or null when the remote
 * has no such branch yet (the first publish creates it).
 */
export async function fetchJournalBranch(
  target: JournalTarget,
  git: GitFactory = createGit,
): Promise<string | null> {
  const refspec = `+refs/heads/${target.branch}:${target.trackingRef}`;
  try {
    // --verbose, not --quiet: simple-git waits 50 ms more for a command that writes nothing (resolve-ref.ts).
    await git(target.dir).raw(["fetch", "--verbose", "--no-tags", target.remote, refspec]);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!/couldn't find remote ref/i.test(message)) {
      throw new GitError("journal-fetch", `git fetch ${target.remote} ${target.branch}: ${message.trim()}`);
    }
    await git(target.dir)
      .raw(["update-ref", "-d", target.trackingRef])
      .catch(() => "");
    return null;
  }
  const commit = await runGit(`git rev-parse ${target.trackingRef}`, () =>
    git(target.dir).raw(["rev-parse", "--verify", `${target.trackingRef}^{commit}`]),
  );
  return commit.trim();
}
