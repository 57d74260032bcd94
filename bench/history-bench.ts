// Benchmark of history length (docs/testing-and-benchmarks.md): the desired-state read of a plan (read the files
// at the commit, validate, landing times) for 2,000 grants in a repository with 1,000 commits of history and in
// one with 100,000 (built with git fast-import), cold (no landing-times cache: git log is stopped once every
// grant file's landing is known) and warm (the cache of the state directory, one new commit since). Target: the
// 100,000 commits add <= 5% over 1,000. Also printed: a walk of the whole history (a file unchanged since the root
// commit), without and with a commit-graph with changed-path Bloom filters.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createGit } from "../src/git/git-env.js";
import { landingTimes } from "../src/git/landing-times.js";
import { createLandingCache } from "../src/reconcile/landing-cache.js";
import { landedVersions, readDesiredState } from "../src/reconcile/read-desired-state.js";
import type { LandingCache } from "../src/git/landing-times.js";
import { importHistory, type ImportedCommit } from "../test/helpers/import-history.js";
import { benchGrant } from "./reconcile-bench-world.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const GRANTS = 2_000;
const RECENT = 1_000;
const LONG = 100_000;
const ROUNDS = 11;
const grantOptions = { grants: GRANTS, users: 1_000, resources: 100, foreign: 0 };

interface HistoryRepo {
  dir: string;
  head: string;
  /** The commit before the head: the warm cache is as of it (one new commit to walk). */
  parent: string;
}

/**
 * A repository whose last 1,000 commits add the 2,000 grant files (two each) and change one more at the end,
 * after `older` commits that each change an old grant file and a note (the old grants are removed just before).
 */
async function buildRepo(base: string, older: number, policy: string): Promise<HistoryRepo> {
  const dir = await mkdtemp(join(base, "repo-"));
  await createGit(dir).raw(["init", "--quiet", "-b", "main"]);
  const total = older + RECENT + 1;
  const start = Math.floor(Date.now() / 1000) - total * 30;
  function* commits(): Generator<ImportedCommit> {
    for (let i = 0; i < older; i += 1) {
      const files: ImportedCommit["files"] = {
        [`grants/old/o${i % 20}.yaml`]: `old: ${i}\n`,
        [`notes/n${i % 5}.md`]: `note ${i}\n`,
      };
      if (i === 0) files["policy.yaml"] = policy;
      if (i === older - 1) for (let o = 0; o < 20; o += 1) files[`grants/old/o${o}.yaml`] = null;
      yield { seconds: start + i * 30, files };
    }
    for (let k = 0; k < RECENT; k += 1) {
      const files: ImportedCommit["files"] = {};
      if (older === 0 && k === 0) files["policy.yaml"] = policy;
      for (const i of [2 * k, 2 * k + 1]) files[grantPath(i)] = benchGrant(i, grantOptions);
      yield { seconds: start + (older + k) * 30, files };
    }
    yield {
      seconds: start + (total - 1) * 30,
      files: { [grantPath(7)]: `${benchGrant(7, grantOptions)}# edited\n` },
    };
  }
  const shas = await importHistory(dir, commits());
  return { dir, head: shas.at(-1)!, parent: shas.at(-2)! };
}

function grantPath(i: number): string {
  return `grants/team-${i % 50}/grant-${i}.yaml`;
}

/** The read stage of a plan (files at the commit, validated, the landing of every grant): ms, and landing ms. */
async function readOnce(
  repo: HistoryRepo,
  cacheDir: string,
  cache?: LandingCache,
): Promise<[number, number]> {
  (globalThis as { gc?: () => void }).gc?.();
  const started = performance.now();
  const state = await readDesiredState({
    repo: repo.dir,
    cacheDir,
    policyPath: "policy.yaml",
    now: new Date(),
  });
  const read = performance.now();
  const { versions } = await landedVersions(state, undefined, { landingCache: cache });
  const done = performance.now();
  if (state.commit !== repo.head || versions.length !== GRANTS) {
    throw new Error(
      `expected ${GRANTS} landed grants at ${repo.head}, got ${versions.length} at ${state.commit}`,
    );
  }
  return [done - started, done - read];
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/**
 * How much longer the 100k-commit read is, in %: the median over the rounds of each round's pair (measured back to
 * back), so a slow spell of a shared machine weighs on both sides of a pair alike.
 */
function medianPercentOver(pairs: Array<[number, number]>): number {
  const ratios = pairs.map(([short, long]) => (long - short) / short).sort((a, b) => a - b);
  const middle = ratios[Math.floor(ratios.length / 2)] ?? Number.NaN;
  return Number((middle * 100).toFixed(1));
}

export async function runHistoryBench(): Promise<Record<string, string | number>> {
  const base = await mkdtemp(join(tmpdir(), "grantops-history-bench-"));
  const warn = (message: string): void => {
    throw new Error(`unexpected landing-cache warning: ${message}`);
  };
  try {
    const policy = await readFile(join(root, "policy.yaml"), "utf8");
    const short = await buildRepo(base, 0, policy);
    const importStarted = performance.now();
    const long = await buildRepo(base, LONG - RECENT - 1, policy);
    const importMs = performance.now() - importStarted;
    const repos = [short, long];
    // Warm: the state directory's cache as a run at the previous commit left it; read-only, so each round walks
    // the one new commit again.
    const warmCaches = await Promise.all(
      repos.map(async (repo, i) => {
        const path = join(base, `warm-${i}.json`);
        await landingTimes(repo.dir, repo.parent, [grantPath(0)], undefined, {
          cache: createLandingCache(path, { onWarning: warn }),
          branch: "main",
        });
        return createLandingCache(path, { onWarning: warn, readOnly: true });
      }),
    );
    const runs = {
      cold: [[], []] as Array<Array<[number, number]>>,
      warm: [[], []] as Array<Array<[number, number]>>,
    };
    for (let round = 0; round < ROUNDS; round += 1) {
      // Alternate which repository goes first, so neither is always measured right after the other.
      for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) {
        const repo = repos[i]!;
        const fresh = createLandingCache(join(base, `cold-${round}-${i}.json`), { onWarning: warn });
        runs.cold[i]!.push(await readOnce(repo, join(base, "clones"), fresh));
        runs.warm[i]!.push(await readOnce(repo, join(base, "clones"), warmCaches[i]));
      }
    }
    const best = (which: Array<Array<[number, number]>>, part: 0 | 1): [number, number] =>
      which.map((list) => Math.min(...list.map((run) => run[part]))) as [number, number];
    const pairsOf = (which: Array<Array<[number, number]>>): Array<[number, number]> =>
      which[0]!.map((run, round) => [run[0], which[1]![round]![0]]);
    const [coldShort, coldLong] = best(runs.cold, 0);
    const [warmShort, warmLong] = best(runs.warm, 0);
    const coldLanding = best(runs.cold, 1).map(Math.round).join(" / ");
    const warmLanding = best(runs.warm, 1).map(Math.round).join(" / ");
    const rootWalk = (repo: HistoryRepo) => timed(() => landingTimes(repo.dir, repo.head, ["policy.yaml"]));
    const rootShort = await rootWalk(short);
    const rootLong = await rootWalk(long);
    const graphMs = await timed(() =>
      createGit(long.dir).raw(["commit-graph", "write", "--reachable", "--changed-paths", "--no-progress"]),
    );
    const rootLongGraph = await rootWalk(long);
    const figures = {
      "history.grants": GRANTS,
      "history.commits": `${RECENT.toLocaleString("en")} / ${LONG.toLocaleString("en")}`,
      "history.fast-import of 100,000 commits s": Number((importMs / 1000).toFixed(1)),
      "history.cold read ms, best of 11 (1k / 100k commits)": `${Math.round(coldShort)} / ${Math.round(coldLong)}`,
      "history.cold: 100k commits over 1k, median of paired rounds, % (target <= 5)": medianPercentOver(
        pairsOf(runs.cold),
      ),
      "history.cold landing times alone ms (1k / 100k commits)": coldLanding,
      "history.warm read ms, best of 11 (1k / 100k commits)": `${Math.round(warmShort)} / ${Math.round(warmLong)}`,
      "history.warm: 100k commits over 1k, median of paired rounds, % (target <= 5)": medianPercentOver(
        pairsOf(runs.warm),
      ),
      "history.warm landing times alone ms (1k / 100k commits)": warmLanding,
      "history.walk to the root commit ms (1k / 100k commits)": `${Math.round(rootShort)} / ${Math.round(rootLong)}`,
      "history.commit-graph write (changed paths) of 100k commits ms": Math.round(graphMs),
      "history.walk to the root commit of 100k commits with the commit-graph ms": Math.round(rootLongGraph),
    };
    console.log("history bench:");
    for (const [label, value] of Object.entries(figures)) console.log(`  ${label}: ${value}`);
    return figures;
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}
