// The pure part of landing times (docs/git-and-apply.md, "Landing time"): a first-parent log read newest first,
// each path's last change, and a cached map brought up to date with the changes made since its commit.

/** A path's last change on the first-parent chain: the commit and its committer time (Unix seconds). */
export interface PathLanding {
  commit: string;
  seconds: number;
}

/** One commit of a first-parent log (newest first), with the paths it changed against its first parent. */
export interface LoggedCommit {
  sha: string;
  seconds: number;
  changes: Array<{ path: string; deleted: boolean }>;
}

/** Each path's last change as read so far: a landing, or null when that change deleted the path. */
export type LastChanges = Map<string, PathLanding | null>;

/**
 * Records one commit of a newest-first log: the first change seen of a path is its last change, so a path
 * already recorded (landed or deleted) keeps its record; a deletion hides every older landing. Returns the paths
 * recorded by this commit.
 */
export function recordLastChanges(into: LastChanges, commit: LoggedCommit): string[] {
  const recorded: string[] = [];
  for (const change of commit.changes) {
    if (into.has(change.path)) continue;
    into.set(change.path, change.deleted ? null : { commit: commit.sha, seconds: commit.seconds });
    recorded.push(change.path);
  }
  return recorded;
}

/**
 * The landings at a later commit: the landings at an earlier commit of the same first-parent chain, with the
 * last changes made between the two applied (a path changed lands at its change; a deleted path has none; a
 * path deleted and added back lands where it was added back, as that is its last change).
 */
export function mergeLastChanges(
  base: ReadonlyMap<string, PathLanding>,
  changes: ReadonlyMap<string, PathLanding | null>,
): Map<string, PathLanding> {
  const merged = new Map(base);
  for (const [path, landing] of changes) {
    if (landing === null) merged.delete(path);
    else merged.set(path, landing);
  }
  return merged;
}
