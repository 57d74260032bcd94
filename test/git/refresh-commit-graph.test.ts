import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGit } from "../../src/git/git-env.js";
import { landingTimes } from "../../src/git/landing-times.js";
import { refreshCommitGraph, STALE_LOCK_MS, TIPS_FILE } from "../../src/git/refresh-commit-graph.js";
import { createGitFixture, type GitFixture } from "../helpers/git-fixture.js";
import { importHistory, type ImportedCommit } from "../helpers/import-history.js";

describe("refreshCommitGraph", () => {
  let fixture: GitFixture;
  let bare: string;
  beforeEach(async () => {
    fixture = await createGitFixture();
    bare = await fixture.tempDir();
    await createGit(bare).raw(["init", "--bare", "--quiet"]);
  });
  afterEach(async () => fixture.cleanup());

  it("writes a missing graph, then again only once `every` commits arrived since the last write", async () => {
    const first = await importHistory(bare, history(0, 5));
    expect(await refreshCommitGraph(bare, createGit, { every: 10 })).toBe("written");
    expect(await graphHas(bare, first)).toEqual(first.map(() => true));
    // Nine commits: eight on the branch, one of them (the 9th) a merge of a side commit.
    const nine = await importHistory(bare, history(5, 8), { parent: first.at(-1)! });
    expect(await refreshCommitGraph(bare, createGit, { every: 10 })).toBe("fresh");
    expect(await graphHas(bare, nine)).toEqual(nine.map(() => false));
    const tenth = await importHistory(bare, history(13, 1), { parent: nine.at(-1)! });
    expect(await refreshCommitGraph(bare, createGit, { every: 10 })).toBe("written");
    expect(await graphHas(bare, [...first, ...nine, ...tenth])).toEqual(Array(14).fill(true));
  });

  it("writes again when the record of the last write is missing or not a list of shas", async () => {
    const first = await importHistory(bare, history(0, 2));
    await refreshCommitGraph(bare, createGit);
    const next = await importHistory(bare, history(2, 1), { parent: first.at(-1)! });
    await writeFile(join(bare, TIPS_FILE), "--all\n");
    expect(await refreshCommitGraph(bare, createGit)).toBe("written");
    expect(await graphHas(bare, next)).toEqual([true]);
  });

  it("a stale, missing or fresh graph gives the same landing times", async () => {
    const commits = [...history(0, 400)];
    const older = await importHistory(bare, commits.slice(0, 250));
    await refreshCommitGraph(bare, createGit);
    const newer = await importHistory(bare, commits.slice(250), { parent: older.at(-1)! });
    const asOf = [newer.at(-1)!, newer[60]!, older[200]!];
    const answers = async (): Promise<unknown[]> =>
      Promise.all(asOf.map(async (commit) => [...(await landingTimes(bare, commit, PATHS)).entries()]));
    expect(await refreshCommitGraph(bare, createGit)).toBe("fresh");
    expect(await graphHas(bare, [older[0]!, newer[0]!])).toEqual([true, false]);
    const stale = await answers();
    expect(await refreshCommitGraph(bare, createGit, { every: 1 })).toBe("written");
    expect(await graphHas(bare, newer)).toEqual(newer.map(() => true));
    const fresh = await answers();
    await removeGraph(bare);
    const none = await answers();
    expect(stale).toEqual(none);
    expect(fresh).toEqual(none);
    expect((none[0] as unknown[]).length).toBeGreaterThan(PATHS.length / 2);
  });

  it("removes a lock left by a killed writer, and leaves a recent one (a writer at work) alone", async () => {
    const shas = await importHistory(bare, history(0, 3));
    const graphs = join(bare, "objects", "info", "commit-graphs");
    await mkdir(graphs, { recursive: true });
    const lock = join(graphs, "commit-graph-chain.lock");
    await writeFile(lock, "");
    const lockedAt = (await stat(lock)).mtimeMs;
    const soon = { now: () => lockedAt + 60_000 };
    expect(await refreshCommitGraph(bare, createGit, soon)).toBe("failed");
    expect(await exists(lock)).toBe(true);
    expect(await exists(join(bare, TIPS_FILE))).toBe(false);
    const later = { now: () => lockedAt + STALE_LOCK_MS + 1 };
    expect(await refreshCommitGraph(bare, createGit, later)).toBe("written");
    expect(await exists(lock)).toBe(false);
    expect(await graphHas(bare, shas)).toEqual(shas.map(() => true));
  });
});

const PATHS = ["policy.yaml", ...Array.from({ length: 11 }, (_, i) => `grants/team-${i % 3}/g${i}.yaml`)];

/** `count` commits from the `start`-th, changing, deleting and merging the paths in a fixed pseudo-random order. */
function* history(start: number, count: number): Generator<ImportedCommit> {
  for (let n = start; n < start + count; n++) {
    const seconds = 1_790_000_000 + n * 60;
    if (n === 0) {
      yield { seconds, files: Object.fromEntries(PATHS.map((path) => [path, "v0\n"])) };
      continue;
    }
    const path = PATHS[(n * 7) % PATHS.length]!;
    const other = PATHS[(n * 5 + 3) % PATHS.length]!;
    const files = { [path]: n % 13 === 0 ? null : `v${n}\n`, "README.md": `${n}\n` };
    yield n % 9 === 0
      ? { seconds, files: { "README.md": `${n}\n` }, side: { [other]: `side ${n}\n` } }
      : { seconds, files };
  }
}

/** For each commit: whether one of the repository's commit-graph files holds it. */
async function graphHas(dir: string, commits: readonly string[]): Promise<boolean[]> {
  const graphDir = join(dir, "objects", "info", "commit-graphs");
  const names = (await readdir(graphDir)).filter((name) => name.endsWith(".graph"));
  const graphs = await Promise.all(names.map((name) => readFile(join(graphDir, name))));
  expect(graphs.every((graph) => graph.includes("BDAT") && graph.includes("BIDX"))).toBe(true);
  return commits.map((commit) => graphs.some((graph) => graph.includes(Buffer.from(commit, "hex"))));
}

async function removeGraph(dir: string): Promise<void> {
  await rm(join(dir, "objects", "info", "commit-graphs"), { recursive: true, force: true });
  await rm(join(dir, "objects", "info", "commit-graph"), { force: true });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
