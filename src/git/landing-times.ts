import type { Instant } from "../core/model/types.js";
import { createGit, type GitFactory } from "./git-env.js";
import { runGit } from "./git-error.js";

export interface Landing {
  /** The first-parent commit of the branch that last changed the file. */
  commit: string;
  /** That commit's committer time. */
  landedAt: Instant;
}

/**
 * When the current version of each file landed on the branch (docs/git-and-apply.md, "Landing time"): the committer time of the
 * first-parent commit, walking back from `commit`, that last changed it. A merge commit that brought the file
 * is the landing commit, not the feature branch's commit. One `git log` walk for all paths, newest first, the
 * first occurrence of a path wins. Paths git never saw changed (e.g. beyond a shallow history) are absent.
 */
export async function landingTimes(
  dir: string,
  commit: string,
  paths: readonly string[],
  git: GitFactory = createGit,
): Promise<Map<string, Landing>> {
  const landings = new Map<string, Landing>();
  if (paths.length === 0) return landings;
  const wanted = new Set(paths);
  const output = await runGit(`git log ${commit}`, () =>
    git(dir).raw(logArgs(commit, topLevelPathspecs(paths))),
  );
  for (const chunk of output.split("\x01")) {
    const newline = chunk.indexOf("\n");
    if (newline < 0) continue;
    const [sha, seconds] = chunk.slice(0, newline).split("\t");
    if (sha === undefined || seconds === undefined) continue;
    const landing = { commit: sha, landedAt: instantFromSeconds(Number(seconds)) };
    for (const path of chunk.slice(newline + 1).split("\0")) {
      if (wanted.has(path) && !landings.has(path)) landings.set(path, landing);
    }
    if (landings.size === wanted.size) break;
  }
  return landings;
}

function logArgs(commit: string, pathspecs: string[]): string[] {
  return [
    "log",
    "-z",
    "--first-parent",
    "--diff-merges=first-parent",
    "--no-renames",
    "--name-only",
    "--format=format:%x01%H%x09%ct",
    commit,
    "--",
    ...pathspecs,
  ];
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
