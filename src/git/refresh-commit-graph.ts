import { readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomically } from "../reconcile/write-file-atomically.js";
import type { GitFactory } from "./git-env.js";

/** Commits fetched since the last write after which the commit-graph is written again (a new split layer). */
export const COMMIT_GRAPH_EVERY = 1000;
/** A commit-graph lock older than this was left by a killed writer (a first write of 100k commits takes seconds). */
export const STALE_LOCK_MS = 10 * 60 * 1000;
/** The ref tips the last successful write covered, one sha a line, in the clone's git directory. */
export const TIPS_FILE = "grantops-commit-graph-tips";

export interface RefreshCommitGraphOptions {
  /** Write again once at least this many commits are outside the graph (default COMMIT_GRAPH_EVERY). */
  every?: number;
  /** The clock for the stale-lock age (default Date.now). */
  now?: () => number;
}

/** What the refresh did: wrote a layer, found the graph fresh enough, or failed (the clone is only slower). */
export type CommitGraphRefresh = "written" | "fresh" | "failed";

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * Keeps a bare clone's commit-graph (changed-path Bloom filters, split layers) useful without paying for it on
 * every fetch (docs/git-and-apply.md, "Landing time"): it is written when missing and again only once `every`
 * commits arrived since the last write (counted from the ref tips that write covered); in between, a fetch costs
 * one `git rev-list --count` of the new commits. A graph never gives a wrong answer, only a slower one: commits
 * outside it are read from their objects. git writes it atomically (lock file, temp file, rename): a concurrent
 * writer (another run in the same clone) makes this one fail, harmlessly; a lock left by a killed writer is
 * removed once older than STALE_LOCK_MS. Never throws.
 */
export async function refreshCommitGraph(
  dir: string,
  factory: GitFactory,
  options: RefreshCommitGraphOptions = {},
): Promise<CommitGraphRefresh> {
  const git = factory(dir);
  try {
    if (await isFresh(dir, git, options.every ?? COMMIT_GRAPH_EVERY)) return "fresh";
    const tips = await refTips(git);
    await writeGraph(dir, git, options.now ?? Date.now);
    await writeFileAtomically(join(dir, TIPS_FILE), tips.map((tip) => `${tip}\n`).join(""));
    return "written";
  } catch {
    return "failed";
  }
}

/** True when a graph exists and fewer than `every` commits are reachable from the refs but not from its tips. */
async function isFresh(dir: string, git: ReturnType<GitFactory>, every: number): Promise<boolean> {
  if (!(await hasGraph(dir))) return false;
  const tips = await readTips(dir);
  if (tips === null) return false;
  const count = await git.raw(["rev-list", "--count", "--all", "--ignore-missing", "--not", ...tips]);
  return Number(count.trim()) < every;
}

async function hasGraph(dir: string): Promise<boolean> {
  const info = join(dir, "objects", "info");
  const found = await Promise.all(
    [join(info, "commit-graph"), join(info, "commit-graphs", "commit-graph-chain")].map((path) =>
      stat(path).then(
        () => true,
        () => false,
      ),
    ),
  );
  return found.includes(true);
}

/** The tips of the last write, or null when missing or not a list of shas (then the graph is written again). */
async function readTips(dir: string): Promise<string[] | null> {
  const text = await readFile(join(dir, TIPS_FILE), "utf8").catch(() => null);
  if (text === null) return null;
  const tips = text.split("\n").filter((line) => line !== "");
  return tips.every((tip) => SHA.test(tip)) ? tips : null;
}

/** The objects the refs point to, read before the write: the graph then covers at least their history. */
async function refTips(git: ReturnType<GitFactory>): Promise<string[]> {
  const out = await git.raw(["for-each-ref", "--format=%(objectname)"]);
  return [...new Set(out.split("\n").filter((line) => SHA.test(line)))].sort();
}

const WRITE = ["commit-graph", "write", "--reachable", "--changed-paths", "--split", "--no-progress"];

/** One write; when it fails on a lock left by a killed writer, the lock is removed and the write tried again. */
async function writeGraph(dir: string, git: ReturnType<GitFactory>, now: () => number): Promise<void> {
  try {
    await git.raw(WRITE);
  } catch (error) {
    if (!(await removeStaleLocks(dir, now()))) throw error;
    await git.raw(WRITE);
  }
}

async function removeStaleLocks(dir: string, now: number): Promise<boolean> {
  const info = join(dir, "objects", "info");
  const locks = [join(info, "commit-graph.lock"), join(info, "commit-graphs", "commit-graph-chain.lock")];
  let removed = false;
  for (const lock of locks) {
    const modified = await stat(lock).then(
      (stats) => stats.mtimeMs,
      () => null,
    );
    if (modified === null || now - modified < STALE_LOCK_MS) continue;
    await rm(lock, { force: true });
    removed = true;
  }
  return removed;
}
