import { resolve } from "node:path";
import type { Instant } from "../core/model/types.js";
import {
  mergeLastChanges,
  recordLastChanges,
  type LastChanges,
  type PathLanding,
} from "../core/history/last-changes.js";
import {
  continuesFrom,
  landingWalk,
  type FullWalkReason,
  type LandingWalk,
} from "../core/history/landing-walk.js";
import { createGit, type GitFactory } from "./git-env.js";
import { runGit } from "./git-error.js";
import { NAME_STATUS_LOG_FORMAT, streamGitLog, type LogWalkStats } from "./stream-git-log.js";

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export interface Landing {
  /** The first-parent commit of the branch that last changed the file. */
  commit: string;
  /** That commit's committer time. */
  landedAt: Instant;
}

/** The landings of a repository's files as of `commit` (every path the walks saw, not only those asked for). */
export interface LandingSnapshot {
  commit: string;
  landings: ReadonlyMap<string, PathLanding>;
}

/** Where landings are kept between runs (the state directory's landing-times cache, src/reconcile/landing-cache). */
export interface LandingCache {
  /** The snapshot of a repository (its directory) and branch, or null (none, or unusable: warned). */
  read(repository: string, branch: string): Promise<LandingSnapshot | null>;
  /** Replaces that snapshot; never throws (a cache that cannot be written is warned). */
  write(repository: string, branch: string, snapshot: LandingSnapshot): Promise<void>;
  warn(message: string): void;
}

export interface LandingTimesOptions {
  /** The landing cache: only the commits since its snapshot are walked. */
  cache?: LandingCache;
  /** The branch `commit` was read from (the cache's key, with the repository's directory). */
  branch?: string;
  /** Told what each walk did (tests, logs). */
  onWalk?: (report: LandingWalkReport) => void;
}

/** One walk: the cache's answer (`cached`, `since` the cached commit, `full`), commits read, git stopped early. */
export type LandingWalkReport = LandingWalk & LogWalkStats;

/**
 * When the current version of each file landed on the branch (docs/git-and-apply.md, "Landing time"): the committer time of the
 * first-parent commit, walking back from `commit`, that last changed it. A merge commit that brought the file
 * is the landing commit, not the feature branch's commit. One `git log` walk for all paths, newest first, the
 * first occurrence of a path wins, and git is stopped as soon as every path is known. With a cache, only the
 * commits since its snapshot are walked (its commit must be on the first-parent chain of `commit`; else the
 * history was rewritten and is walked again). Paths git never saw changed (e.g. beyond a shallow history) are
 * absent.
 */
export async function landingTimes(
  dir: string,
  commit: string,
  paths: readonly string[],
  git: GitFactory = createGit,
  options: LandingTimesOptions = {},
): Promise<Map<string, Landing>> {
  if (paths.length === 0) return new Map();
  const { cache, branch } = options;
  if (cache === undefined || branch === undefined) {
    const known = { landings: new Map(), walked: false, reason: "no cache" } as const;
    return landingsOf(await walkMissing(dir, commit, known, paths, options), paths);
  }
  const sha = await commitSha(dir, commit, git);
  const repository = resolve(dir);
  const snapshot = await cache.read(repository, branch);
  const known = await knownLandings(dir, sha, snapshot, paths, { ...options, cache, git });
  const landings = await walkMissing(dir, sha, known, paths, options);
  if (known.walked || landings !== known.landings) {
    await cache.write(repository, branch, { commit: sha, landings });
  }
  return landingsOf(landings, paths);
}

/** What is known before walking back from the commit, and why more is walked (for paths it lacks). */
interface Known {
  landings: ReadonlyMap<string, PathLanding>;
  /** True when the cache's snapshot changed: commits since it were walked, or it was dropped. */
  walked: boolean;
  reason: FullWalkReason;
}

/** The cached landings brought up to `sha`: as cached, updated with the commits since, or none (cold). */
async function knownLandings(
  dir: string,
  sha: string,
  snapshot: LandingSnapshot | null,
  paths: readonly string[],
  options: LandingTimesOptions & { cache: LandingCache; git: GitFactory },
): Promise<Known> {
  const usable = snapshot !== null && FULL_SHA.test(snapshot.commit) ? snapshot : null;
  const walk = landingWalk(usable?.commit ?? null, sha);
  if (usable === null || walk.kind === "full")
    return { landings: new Map(), walked: false, reason: "no cache" };
  if (walk.kind === "cached") {
    options.onWalk?.({ ...walk, commits: 0, stopped: false });
    return { landings: usable.landings, walked: false, reason: "paths not cached" };
  }
  if (!(await isFirstParentAncestor(dir, walk.from, sha, options.git))) {
    options.cache.warn(
      `landing-times cache: ${walk.from.slice(0, 12)} is not on the first-parent history of ${sha.slice(0, 12)} ` +
        "(rewritten history, or another repository); walking the history again",
    );
    return { landings: new Map(), walked: true, reason: "history rewritten" };
  }
  const changes: LastChanges = new Map();
  const specs = topLevelPathspecs([...usable.landings.keys(), ...paths]);
  const stats = await streamGitLog(dir, logArgs([sha, `^${walk.from}`], specs), (logged) => {
    recordLastChanges(changes, logged);
    return false;
  });
  options.onWalk?.({ ...walk, ...stats });
  return { landings: mergeLastChanges(usable.landings, changes), walked: true, reason: "paths not cached" };
}

/**
 * The known landings with those of the paths they lack, from one walk of the history back from `commit` that stops
 * (git killed) as soon as each of them is found; `known` itself when it lacks none.
 */
async function walkMissing(
  dir: string,
  commit: string,
  known: Known,
  paths: readonly string[],
  options: LandingTimesOptions,
): Promise<ReadonlyMap<string, PathLanding>> {
  const missing = new Set(paths.filter((path) => !known.landings.has(path)));
  if (missing.size === 0) return known.landings;
  const changes: LastChanges = new Map();
  let remaining = missing.size;
  const args = logArgs([commit], topLevelPathspecs([...missing]));
  const stats = await streamGitLog(dir, args, (logged) => {
    for (const path of recordLastChanges(changes, logged)) if (missing.has(path)) remaining -= 1;
    return remaining === 0;
  });
  options.onWalk?.({ kind: "full", reason: known.reason, ...stats });
  return mergeLastChanges(known.landings, changes);
}

function landingsOf(
  landings: ReadonlyMap<string, PathLanding>,
  paths: readonly string[],
): Map<string, Landing> {
  const result = new Map<string, Landing>();
  // One Landing per commit, shared by the files it landed (a commit that added 10,000 files is one object).
  const byCommit = new Map<string, Landing>();
  for (const path of paths) {
    const landing = landings.get(path);
    if (landing === undefined) continue;
    const shared = byCommit.get(landing.commit) ?? {
      commit: landing.commit,
      landedAt: instantFromSeconds(landing.seconds),
    };
    byCommit.set(landing.commit, shared);
    result.set(path, shared);
  }
  return result;
}

/** `commit` as a full sha (the cache is keyed by commits, never by names like HEAD). */
async function commitSha(dir: string, commit: string, git: GitFactory): Promise<string> {
  if (FULL_SHA.test(commit)) return commit;
  const output = await runGit(`git rev-parse ${commit}`, () =>
    git(dir).raw(["rev-parse", "--verify", "--end-of-options", `${commit}^{commit}`]),
  );
  return output.trim();
}

/** True when `ancestor` is on the first-parent chain of `commit`; false too when git does not know it. */
async function isFirstParentAncestor(
  dir: string,
  ancestor: string,
  commit: string,
  git: GitFactory,
): Promise<boolean> {
  try {
    const output = await git(dir).raw(["rev-list", "--first-parent", "--parents", commit, `^${ancestor}`]);
    return continuesFrom(output, ancestor);
  } catch {
    return false;
  }
}

/**
 * `git log` along the branch's first parents, a merge compared with its first parent (so the merge that brought a
 * file is where it landed), no rename detection: the landing rule of docs/git-and-apply.md, "Landing time".
 */
export const FIRST_PARENT_LOG = [
  "log",
  "-z",
  "--first-parent",
  "--diff-merges=first-parent",
  "--no-renames",
] as const;

function logArgs(revisions: string[], pathspecs: string[]): string[] {
  return [...FIRST_PARENT_LOG, "--name-status", NAME_STATUS_LOG_FORMAT, ...revisions, "--", ...pathspecs];
}

/** The distinct first path components ("grants", "policy.yaml"), so the command line stays short. */
function topLevelPathspecs(paths: readonly string[]): string[] {
  const tops = new Set(paths.map((path) => path.split("/")[0] ?? path));
  return [...tops].sort().map((top) => `:(literal)${top}`);
}

/** Unix seconds → "2026-11-26T18:00:00Z". */
export function instantFromSeconds(seconds: number): Instant {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}
