// Which part of the history a landing-times read walks (docs/git-and-apply.md, "Landing time"): nothing when the
// cache is at the commit, the commits since the cached one when that one is on the first-parent chain, else all.

/** The part of the first-parent history to walk: none, the commits after `from`, or all of it. */
export type LandingWalk =
  { kind: "cached" } | { kind: "since"; from: string } | { kind: "full"; reason: FullWalkReason };

/** Why history is walked back from the commit: no cache, a cache off the chain, or paths the cache lacks. */
export type FullWalkReason = "no cache" | "history rewritten" | "paths not cached";

/** The walk before the ancestry check: none, from the cached commit (to be checked), or the whole history. */
export function landingWalk(cachedCommit: string | null, target: string): LandingWalk {
  if (cachedCommit === null) return { kind: "full", reason: "no cache" };
  if (cachedCommit === target) return { kind: "cached" };
  return { kind: "since", from: cachedCommit };
}

/**
 * Whether `ancestor` is on the first-parent chain of the walked commit, from the output of
 * `git rev-list --first-parent --parents <commit> ^<ancestor>` (newest first, "sha parent1 parent2…" per line):
 * the oldest commit listed must have `ancestor` as its first parent. A commit the cache saw only through a merged
 * branch (its second parent), or a history rewritten since, does not qualify.
 */
export function continuesFrom(revListParents: string, ancestor: string): boolean {
  const lines = revListParents.split("\n").filter((line) => line.trim() !== "");
  const oldest = lines.at(-1);
  if (oldest === undefined) return false;
  return oldest.trim().split(" ")[1] === ancestor;
}
