import { afterEach, beforeEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  landingTimes,
  type Landing,
  type LandingTimesOptions,
  type LandingWalkReport,
} from "../../src/git/landing-times.js";
import { createLandingCache } from "../../src/reconcile/landing-cache.js";
import { instantFromSeconds } from "../../src/git/landing-times.js";
import { createGitFixture, type GitFixture } from "../helpers/git-fixture.js";
import { importHistory, type FileChanges, type ImportedCommit } from "../helpers/import-history.js";

const T0 = 1_790_000_000;

describe("landingTimes with the landing-times cache", () => {
  let repo: GitFixture;
  let cachePath: string;
  let warnings: string[];
  let walks: LandingWalkReport[];
  beforeEach(async () => {
    repo = await createGitFixture();
    cachePath = join(await repo.tempDir(), "state", "landing-times.json");
    warnings = [];
    walks = [];
  });
  afterEach(async () => repo.cleanup());

  const cached = (branch = "main"): LandingTimesOptions => ({
    cache: createLandingCache(cachePath, { onWarning: (message) => warnings.push(message) }),
    branch,
    onWalk: (report) => walks.push(report),
  });
  const read = (commit: string, paths: string[], options: LandingTimesOptions = {}) =>
    landingTimes(repo.dir, commit, paths, undefined, options);

  it("an incremental update equals a cold walk on random first-parent histories", async () => {
    await fc.assert(
      fc.asyncProperty(historyArbitrary(), fc.nat(), fc.nat(), async (history, a, b) => {
        const fixture = await createGitFixture();
        try {
          const shas = await importHistory(fixture.dir, history);
          const trees = treesOf(history);
          const [from, to] = [a % shas.length, b % shas.length].sort((x, y) => x - y) as [number, number];
          const path = join(await fixture.tempDir(), "landing-times.json");
          const options = (): LandingTimesOptions => ({
            cache: createLandingCache(path, { onWarning: (message) => warnings.push(message) }),
            branch: "main",
          });
          const wanted = (i: number): string[] => [...trees[i]!.keys()];
          await landingTimes(fixture.dir, shas[from]!, wanted(from), undefined, options());
          const updated = await landingTimes(fixture.dir, shas[to]!, wanted(to), undefined, options());
          const cold = await landingTimes(fixture.dir, shas[to]!, wanted(to));
          expect(updated).toEqual(cold);
          expect(updated).toEqual(expectedLandings(history, shas, to));
        } finally {
          await fixture.cleanup();
        }
      }),
      { numRuns: 25 },
    );
    expect(warnings).toEqual([]);
  }, 120_000);

  it("after the first read only the commits since the cached one are walked", async () => {
    const early = await importHistory(repo.dir, linear(0, 200));
    const late = await importHistory(repo.dir, linear(200, 230), { parent: early.at(-1)! });
    const paths = ["grants/g0.yaml", "grants/g1.yaml", "grants/g2.yaml"];
    await read(early.at(-1)!, paths, cached());
    walks = [];
    const updated = await read(late.at(-1)!, paths, cached());
    expect(walks).toEqual([{ kind: "since", from: early.at(-1)!, commits: 30, stopped: false }]);
    expect(updated).toEqual(await read(late.at(-1)!, paths));
    walks = [];
    await read(late.at(-1)!, paths, cached());
    expect(walks).toEqual([{ kind: "cached", commits: 0, stopped: false }]);
  });

  it("a corrupt cache file is ignored with a warning, history is walked, and the file is rewritten", async () => {
    const shas = await importHistory(repo.dir, linear(0, 20));
    const head = shas.at(-1)!;
    await read(head, ["grants/g1.yaml"], cached());
    for (const corrupt of [
      "{not json",
      JSON.stringify({ version: 2, kind: "grantops-landing-times", entries: [] }),
      (await readFile(cachePath, "utf8")).replace(
        /"paths":\{"grants\/g1.yaml":0/,
        '"paths":{"grants/g1.yaml":7',
      ),
    ]) {
      await writeFile(cachePath, corrupt);
      warnings = [];
      walks = [];
      const times = await read(head, ["grants/g1.yaml"], cached());
      expect(times.get("grants/g1.yaml")).toEqual(await coldLanding(head, "grants/g1.yaml"));
      expect(warnings).toHaveLength(1);
      expect(walks.map((walk) => walk.kind)).toEqual(["full"]);
    }
    walks = [];
    await read(head, ["grants/g1.yaml"], cached());
    expect(walks.map((walk) => walk.kind)).toEqual(["cached"]);
  });

  it("a cache written for another repository at the same path is not used", async () => {
    const first = await importHistory(repo.dir, [commitOf(T0, { "grants/a.yaml": "a: 1\n" })]);
    await read(first[0]!, ["grants/a.yaml"], cached());
    // The directory now holds another repository (same path, same file names, another history).
    await repo.git.raw(["update-ref", "-d", "refs/heads/main"]);
    await repo.git.raw(["update-ref", "-d", "refs/heads/import-side"]).catch(() => undefined);
    await repo.git.raw(["reflog", "expire", "--expire=now", "--all"]);
    await repo.git.raw(["gc", "--prune=now", "--quiet"]);
    const other = await importHistory(repo.dir, [
      commitOf(T0 + 500, { "grants/a.yaml": "a: 2\n" }),
      commitOf(T0 + 900, { "README.md": "x\n" }),
    ]);
    const times = await read(other[1]!, ["grants/a.yaml"], cached());
    expect(times.get("grants/a.yaml")).toEqual({ commit: other[0], landedAt: instantFromSeconds(T0 + 500) });
    expect(warnings.join("\n")).toMatch(/not on the first-parent history/);
  });

  it("a cache kept for another repository directory or branch is not read", async () => {
    const shas = await importHistory(repo.dir, linear(0, 5));
    await read(shas.at(-1)!, ["grants/g1.yaml"], cached("release"));
    walks = [];
    await read(shas.at(-1)!, ["grants/g1.yaml"], cached("main"));
    expect(walks).toMatchObject([{ kind: "full", reason: "no cache" }]);
  });

  it("a rewritten history (the cached commit is no longer on the chain) is walked again", async () => {
    const base = await importHistory(repo.dir, [commitOf(T0, { "grants/a.yaml": "a: 1\n" })]);
    const dropped = await importHistory(repo.dir, [commitOf(T0 + 100, { "grants/a.yaml": "a: 2\n" })], {
      parent: base[0]!,
    });
    await read(dropped[0]!, ["grants/a.yaml"], cached());
    // Force-pushed: the change to a.yaml is gone, an unrelated commit takes its place.
    const rewritten = await importHistory(repo.dir, [commitOf(T0 + 200, { "README.md": "x\n" })], {
      parent: base[0]!,
    });
    const times = await read(rewritten[0]!, ["grants/a.yaml"], cached());
    expect(times.get("grants/a.yaml")).toEqual({ commit: base[0], landedAt: instantFromSeconds(T0) });
    expect(walks.at(-1)).toMatchObject({ kind: "full", reason: "history rewritten" });
  });

  it("a cached commit reached only through a merge's second parent is not a base to update from", async () => {
    const base = await importHistory(repo.dir, [commitOf(T0, { "grants/a.yaml": "a: 1\n" })]);
    // A feature branch changes a.yaml and changes it back; main was fast-forwarded to it for a while.
    const feature = await importHistory(
      repo.dir,
      [commitOf(T0 + 100, { "grants/a.yaml": "a: 2\n" }), commitOf(T0 + 200, { "grants/a.yaml": "a: 1\n" })],
      { parent: base[0]!, branch: "feature" },
    );
    await read(feature[1]!, ["grants/a.yaml"], cached());
    // Then main is put back and the branch merged with a merge commit: a.yaml never changed on main.
    const tree = (await repo.git.raw(["rev-parse", `${feature[1]!}^{tree}`])).trim();
    const merge = (
      await repo.git.raw(["commit-tree", tree, "-p", base[0]!, "-p", feature[1]!, "-m", "merge"])
    ).trim();
    const times = await read(merge, ["grants/a.yaml"], cached());
    expect(times.get("grants/a.yaml")).toEqual({ commit: base[0], landedAt: instantFromSeconds(T0) });
  });

  async function coldLanding(commit: string, path: string): Promise<Landing | undefined> {
    return (await read(commit, [path])).get(path);
  }
});

/** Commits at T0 + i (i from `from` to `to` - 1), each changing grants/g<i % 3>.yaml. */
function linear(from: number, to: number): ImportedCommit[] {
  return Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    return commitOf(T0 + i * 60, { [`grants/g${i % 3}.yaml`]: `n: ${i}\n` });
  });
}

function commitOf(seconds: number, files: FileChanges): ImportedCommit {
  return { seconds, files };
}

const PATHS = ["grants/a.yaml", "grants/b.yaml", "grants/team/c.yaml", "grants/team/d.yaml", "policy.yaml"];

/** Random histories: adds, modifies (sometimes to the same text: no change), deletes, re-adds, merges. */
function historyArbitrary(): fc.Arbitrary<ImportedCommit[]> {
  const changes = fc.dictionary(
    fc.constantFrom(...PATHS),
    fc.option(fc.constantFrom("v: 1\n", "v: 2\n", "v: 3\n"), { nil: null, freq: 4 }),
    { maxKeys: 3 },
  );
  const step = fc.record({ files: changes, side: fc.option(changes, { nil: undefined, freq: 3 }) });
  return fc.array(step, { minLength: 1, maxLength: 14 }).map((steps) =>
    steps.map((s, i): ImportedCommit => {
      const commit: ImportedCommit = { seconds: T0 + i * 3600, files: s.files };
      return i > 0 && s.side !== undefined ? { ...commit, side: s.side } : commit;
    }),
  );
}

/** The tree (path → text) after each first-parent commit. */
function treesOf(history: ImportedCommit[]): Array<Map<string, string>> {
  const trees: Array<Map<string, string>> = [];
  let tree = new Map<string, string>();
  for (const commit of history) {
    tree = new Map(tree);
    for (const [path, text] of Object.entries({ ...commit.side, ...commit.files })) {
      if (text === null) tree.delete(path);
      else tree.set(path, text);
    }
    trees.push(tree);
  }
  return trees;
}

/** The model: a path lands at the last first-parent commit whose tree differs from its first parent's there. */
function expectedLandings(history: ImportedCommit[], shas: string[], at: number): Map<string, Landing> {
  const trees = treesOf(history);
  const expected = new Map<string, Landing>();
  for (const path of trees[at]!.keys()) {
    for (let i = at; i >= 0; i -= 1) {
      if (i === 0 || trees[i]!.get(path) !== trees[i - 1]!.get(path)) {
        expected.set(path, { commit: shas[i]!, landedAt: instantFromSeconds(history[i]!.seconds) });
        break;
      }
    }
  }
  return expected;
}
