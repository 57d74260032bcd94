import { createGit, type GitFactory } from "./git-env.js";
import { runGit } from "./git-error.js";
import { FIRST_PARENT_LOG, instantFromSeconds, type Landing } from "./landing-times.js";

/** What the branch's first-parent history shows between two commits (docs/serve-and-workflows.md, "A push"). */
export interface FirstParentChanges {
  /** First-parent commits after `from` up to `to`, newest first (at most `maxCommits + 1` are read). */
  commits: number;
  /**
   * The first parent of the oldest commit read: `from` itself when `from` lies on `to`'s first-parent chain
   * (a fast-forward) and every commit in between was read; anything else means the range is not a plain push.
   */
  reachedFrom: boolean;
  /** Each path a commit of the range changed (against its first parent), with the newest such commit: its landing. */
  landings: Map<string, Landing>;
}

/**
 * One bounded `git log --first-parent from..to`: the commits a push brought, the paths they changed and when
 * each path last changed (the same landing rule as landingTimes: first-parent commits, merges compared with their
 * first parent, no rename detection). Stops after `maxCommits + 1` commits. An unknown `from` throws (GitError).
 */
export async function firstParentChanges(
  dir: string,
  from: string,
  to: string,
  maxCommits: number,
  git: GitFactory = createGit,
): Promise<FirstParentChanges> {
  const output = await runGit(`git log ${from}..${to}`, () =>
    git(dir).raw([
      ...FIRST_PARENT_LOG,
      "--name-only",
      `--max-count=${maxCommits + 1}`,
      "--format=format:%x01%H%x09%ct%x09%P",
      `${from}..${to}`,
      "--",
    ]),
  );
  const landings = new Map<string, Landing>();
  let commits = 0;
  let oldestParent: string | null = null;
  for (const chunk of output.split("\x01")) {
    const newline = chunk.indexOf("\n");
    const header = newline < 0 ? chunk : chunk.slice(0, newline);
    const [sha, seconds, parents = ""] = header.split("\t");
    if (sha === undefined || seconds === undefined || sha === "") continue;
    commits += 1;
    oldestParent = parents.split(" ")[0] ?? null;
    const landing = { commit: sha, landedAt: instantFromSeconds(Number(seconds)) };
    if (newline < 0) continue;
    for (const path of chunk.slice(newline + 1).split("\0")) {
      const clean = path.replace(/^\n/, "");
      if (clean !== "" && !landings.has(clean)) landings.set(clean, landing);
    }
  }
  return { commits, reachedFrom: commits <= maxCommits && oldestParent === from, landings };
}
