import type { Instant } from "../core/model/types.js";
import { changedFilesSince } from "./changed-files.js";
import { createGit } from "./git-env.js";
import { landingTimes } from "./landing-times.js";

/**
 * When each of `files` landed in the history of HEAD, for the files whose working copy is as committed (a file
 * changed since HEAD, staged or not, or untracked, has no landing yet). Empty when `dir` is not a git work tree
 * with a commit: `validate` then simply cannot tell when a `duration` grant started (README, validate).
 */
export async function committedLandings(
  dir: string,
  files: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<Map<string, Instant>> {
  if (files.length === 0 || !(await hasHead(dir))) return new Map();
  const dirty = await changedFilesSince(dir, "HEAD", env);
  const clean = files.filter((file) => !dirty.has(file));
  const landings = await landingTimes(dir, "HEAD", clean);
  return new Map([...landings].map(([file, landing]) => [file, landing.landedAt]));
}

async function hasHead(dir: string): Promise<boolean> {
  try {
    const git = createGit(dir);
    if ((await git.raw(["rev-parse", "--is-inside-work-tree"])).trim() !== "true") return false;
    return (await git.raw(["rev-parse", "--verify", "-q", "HEAD"])).trim() !== "";
  } catch {
    return false;
  }
}
