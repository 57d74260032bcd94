import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { instantFromSeconds, landingTimes, type LandingWalkReport } from "../../src/git/landing-times.js";
import { createGitFixture, type GitFixture } from "../helpers/git-fixture.js";
import { importHistory } from "../helpers/import-history.js";

describe("landingTimes", () => {
  let repo: GitFixture;
  beforeEach(async () => {
    repo = await createGitFixture();
    await repo.write("policy.yaml", "version: 1\n");
    await repo.write("grants/a.yaml", "a: 1\n");
    await repo.commit("initial", "2026-01-01T10:00:00Z");
  });
  afterEach(async () => repo.cleanup());

  it("uses the merge commit's time, not the feature branch commit's", async () => {
    const { featureCommit, mergeCommit } = await repo.mergeBranch(
      "add-b",
      "2026-01-02T12:00:00Z",
      {
        "grants/team/b.yaml": "b: 1\n",
      },
      { featureDate: "2026-01-02T08:00:00Z" },
    );
    const times = await landingTimes(repo.dir, mergeCommit, ["grants/team/b.yaml"]);
    expect(times.get("grants/team/b.yaml")).toEqual({
      commit: mergeCommit,
      landedAt: "2026-01-02T12:00:00Z",
    });
    expect(mergeCommit).not.toBe(featureCommit);
  });

  it("a later change gives a new landing time; untouched files keep theirs", async () => {
    const first = await repo.head();
    await repo.write("grants/b.yaml", "b: 1\n");
    await repo.commit("add b", "2026-01-03T00:00:00Z");
    await repo.write("grants/a.yaml", "a: 2\n");
    const changed = await repo.commit("change a", "2026-01-04T00:00:00Z");
    await repo.write("README.md", "unrelated\n");
    const head = await repo.commit("unrelated", "2026-01-05T00:00:00Z");
    const times = await landingTimes(repo.dir, head, ["grants/a.yaml", "grants/b.yaml", "policy.yaml"]);
    expect(times.get("grants/a.yaml")).toEqual({ commit: changed, landedAt: "2026-01-04T00:00:00Z" });
    expect(times.get("grants/b.yaml")?.landedAt).toBe("2026-01-03T00:00:00Z");
    expect(times.get("policy.yaml")).toEqual({ commit: first, landedAt: "2026-01-01T10:00:00Z" });
  });

  it("a file deleted then re-added lands at the re-adding commit", async () => {
    await repo.remove("grants/a.yaml");
    await repo.commit("remove a", "2026-01-02T00:00:00Z");
    await repo.write("grants/a.yaml", "a: 1\n");
    const readded = await repo.commit("re-add a", "2026-01-03T00:00:00Z");
    const times = await landingTimes(repo.dir, readded, ["grants/a.yaml"]);
    expect(times.get("grants/a.yaml")).toEqual({ commit: readded, landedAt: "2026-01-03T00:00:00Z" });
  });

  it("reads history as of the given commit, not the branch tip", async () => {
    const before = await repo.head();
    await repo.write("grants/a.yaml", "a: 3\n");
    await repo.commit("change a", "2026-02-01T00:00:00Z");
    const times = await landingTimes(repo.dir, before, ["grants/a.yaml"]);
    expect(times.get("grants/a.yaml")?.landedAt).toBe("2026-01-01T10:00:00Z");
  });

  it("converts committer time with an offset to UTC and omits unknown paths", async () => {
    await repo.write("grants/c.yaml", "c: 1\n");
    const head = await repo.commit("add c", "2026-03-01T12:00:00+02:00");
    const times = await landingTimes(repo.dir, head, ["grants/c.yaml", "grants/nope.yaml"]);
    expect(times.get("grants/c.yaml")?.landedAt).toBe("2026-03-01T10:00:00Z");
    expect(times.has("grants/nope.yaml")).toBe(false);
    expect((await landingTimes(repo.dir, head, [])).size).toBe(0);
  });

  it("each later merge that changes the file is a new landing", async () => {
    await repo.mergeBranch("edit-a", "2026-01-10T00:00:00Z", { "grants/a.yaml": "a: 9\n" });
    const { mergeCommit } = await repo.mergeBranch("edit-a-again", "2026-01-11T00:00:00Z", {
      "grants/a.yaml": "a: 10\n",
    });
    const times = await landingTimes(repo.dir, mergeCommit, ["grants/a.yaml"]);
    expect(times.get("grants/a.yaml")).toEqual({ commit: mergeCommit, landedAt: "2026-01-11T00:00:00Z" });
  });
});

describe("landingTimes stops git", () => {
  let repo: GitFixture;
  beforeEach(async () => {
    repo = await createGitFixture();
  });
  afterEach(async () => repo.cleanup());

  it("kills git once every path is found: older history, even unreadable, is never walked", async () => {
    const old = Object.fromEntries(Array.from({ length: 8000 }, (_, i) => [`grants/old/f${i}.yaml`, "x\n"]));
    const shas = await importHistory(repo.dir, [
      { seconds: 1_790_000_000, files: { "README.md": "root\n" } },
      { seconds: 1_790_000_100, files: old },
      { seconds: 1_790_000_200, files: Object.fromEntries(Object.keys(old).map((path) => [path, null])) },
      { seconds: 1_790_000_300, files: { "grants/a.yaml": "a: 1\n" } },
    ]);
    await explodePacks(repo.dir);
    // The root commit is lost: a walk reaching the commit after it fails. Between them, the deletion of 8,000
    // files is far more output than the pipe holds, so git is still writing it when it is killed.
    await rm(join(repo.dir, ".git", "objects", shas[0]!.slice(0, 2), shas[0]!.slice(2)));
    await expect(
      repo.git.raw(["log", "--format=%H", "--name-only", shas[3]!, "--", "grants"]),
    ).rejects.toThrow();
    const walks: LandingWalkReport[] = [];
    const times = await landingTimes(repo.dir, shas[3]!, ["grants/a.yaml"], undefined, {
      onWalk: (walk) => walks.push(walk),
    });
    expect(times.get("grants/a.yaml")).toEqual({
      commit: shas[3],
      landedAt: instantFromSeconds(1_790_000_300),
    });
    expect(walks).toEqual([{ kind: "full", reason: "no cache", commits: 1, stopped: true }]);
  });

  it("a git failure before every path is found is an error, never an empty answer", async () => {
    const shas = await importHistory(repo.dir, [
      { seconds: 1_790_000_000, files: { "README.md": "root\n" } },
      { seconds: 1_790_000_100, files: { "grants/b.yaml": "b: 1\n" } },
      { seconds: 1_790_000_200, files: { "grants/a.yaml": "a: 1\n" } },
    ]);
    await explodePacks(repo.dir);
    await rm(join(repo.dir, ".git", "objects", shas[0]!.slice(0, 2), shas[0]!.slice(2)));
    await expect(landingTimes(repo.dir, shas[2]!, ["grants/a.yaml", "grants/b.yaml"])).rejects.toThrow(
      /git log exited/,
    );
  });
});

/** Turns the repository's packs into loose objects (so a test can remove one). */
async function explodePacks(dir: string): Promise<void> {
  const packDir = join(dir, ".git", "objects", "pack");
  for (const name of (await readdir(packDir)).filter((file) => file.endsWith(".pack"))) {
    const pack = await readFile(join(packDir, name));
    await rm(join(packDir, name));
    await rm(join(packDir, name.replace(/\.pack$/, ".idx")));
    await new Promise<void>((resolve, reject) => {
      const child = spawn("git", ["unpack-objects", "-q"], {
        cwd: dir,
        stdio: ["pipe", "ignore", "inherit"],
      });
      child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`unpack-objects ${code}`))));
      child.stdin.end(pack);
    });
  }
}
