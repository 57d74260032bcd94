import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cacheKey, openRepository } from "../../src/git/open-repository.js";
import { createGitFixture, type GitFixture } from "../helpers/git-fixture.js";

describe("openRepository", () => {
  let repo: GitFixture;
  let cacheDir: string;
  beforeEach(async () => {
    repo = await createGitFixture();
    await repo.write("grants/a.yaml", "a\n");
    await repo.commit("one", "2026-01-01T00:00:00Z");
    cacheDir = await repo.tempDir();
  });
  afterEach(async () => repo.cleanup());

  it("opens a local working repository at the branch HEAD points to", async () => {
    const opened = await openRepository({ repo: repo.dir, cacheDir });
    expect(opened).toEqual({ dir: repo.dir, branch: "main", commit: await repo.head() });
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it("resolves a relative local path against cwd", async () => {
    const opened = await openRepository({ repo: ".", cwd: repo.dir, cacheDir });
    expect(opened.commit).toBe(await repo.head());
  });

  it("honours a ref: branch, tag or sha", async () => {
    const first = await repo.head();
    await repo.git.raw(["tag", "v1"]);
    await repo.git.raw(["branch", "old"]);
    await repo.write("grants/b.yaml", "b\n");
    await repo.commit("two", "2026-01-02T00:00:00Z");
    expect(await openRepository({ repo: repo.dir, cacheDir, ref: "old" })).toMatchObject({
      branch: "old",
      commit: first,
    });
    expect((await openRepository({ repo: repo.dir, cacheDir, ref: "v1" })).commit).toBe(first);
    expect((await openRepository({ repo: repo.dir, cacheDir, ref: first })).commit).toBe(first);
    await expect(openRepository({ repo: repo.dir, cacheDir, ref: "nope" })).rejects.toMatchObject({
      code: "unknown-ref",
    });
    await expect(openRepository({ repo: repo.dir, cacheDir, ref: "--upload-pack=x" })).rejects.toMatchObject({
      code: "invalid-ref",
    });
  });

  it("detects a default branch that is not main (trunk)", async () => {
    const trunk = await createGitFixture({ branch: "trunk" });
    try {
      await trunk.write("grants/a.yaml", "a\n");
      await trunk.commit("one", "2026-01-01T00:00:00Z");
      expect((await openRepository({ repo: trunk.dir, cacheDir })).branch).toBe("trunk");
      const bare = await trunk.bareClone();
      const cloned = await openRepository({ repo: `file://${bare}`, cacheDir });
      expect(cloned).toMatchObject({ branch: "trunk", commit: await trunk.head() });
    } finally {
      await trunk.cleanup();
    }
  });

  it("prefers refs/remotes/origin/HEAD in a local clone", async () => {
    const bare = await repo.bareClone();
    const clone = await createGitFixture();
    try {
      await clone.git.raw(["remote", "add", "origin", bare]);
      await clone.git.raw(["fetch", "--quiet", "origin"]);
      await clone.git.raw(["remote", "set-head", "origin", "main"]);
      await clone.write("local.txt", "local only\n");
      const local = await clone.commit("local work on a different history", "2026-02-01T00:00:00Z");
      const opened = await openRepository({ repo: clone.dir, cacheDir });
      expect(opened).toMatchObject({ branch: "main", commit: await repo.head() });
      expect(opened.commit).not.toBe(local);
    } finally {
      await clone.cleanup();
    }
  });

  it("clones a URL into the cache once, then fetches new commits", async () => {
    const bare = await repo.bareClone();
    const url = `file://${bare}`;
    const first = await openRepository({ repo: url, cacheDir });
    expect(first).toEqual({ dir: join(cacheDir, cacheKey(url)), branch: "main", commit: await repo.head() });
    await repo.write("grants/b.yaml", "b\n");
    const second = await repo.commit("two", "2026-01-02T00:00:00Z");
    await repo.push(bare);
    const again = await openRepository({ repo: url, cacheDir });
    expect(again).toEqual({ dir: first.dir, branch: "main", commit: second });
    expect(await readdir(cacheDir)).toEqual([cacheKey(url)]);
  });

  it("writes the clone's commit-graph on the first fetch, and on later fetches only every N commits", async () => {
    const bare = await repo.bareClone();
    const url = `file://${bare}`;
    const first = await openRepository({ repo: url, cacheDir, commitGraphEvery: 2 });
    const graphs = async (): Promise<Buffer[]> => {
      const graphDir = join(first.dir, "objects", "info", "commit-graphs");
      const names = (await readdir(graphDir)).filter((name) => name.endsWith(".graph"));
      return Promise.all(names.map((name) => readFile(join(graphDir, name))));
    };
    const covers = async (commit: string): Promise<boolean> =>
      (await graphs()).some((graph) => graph.includes(Buffer.from(commit, "hex")));
    expect((await graphs()).every((graph) => graph.includes("BDAT") && graph.includes("BIDX"))).toBe(true);
    expect(await covers(first.commit)).toBe(true);
    await repo.write("grants/b.yaml", "b\n");
    const second = await repo.commit("two", "2026-01-02T00:00:00Z");
    await repo.push(bare);
    expect((await openRepository({ repo: url, cacheDir, commitGraphEvery: 2 })).commit).toBe(second);
    expect(await covers(second)).toBe(false);
    await repo.write("grants/c.yaml", "c\n");
    const third = await repo.commit("three", "2026-01-03T00:00:00Z");
    await repo.push(bare);
    await openRepository({ repo: url, cacheDir, commitGraphEvery: 2 });
    for (const commit of [first.commit, second, third]) expect(await covers(commit)).toBe(true);
  });

  it("fetches a ref the branch refspecs do not bring (refs/pull/1/head)", async () => {
    const bare = await repo.bareClone();
    await repo.git.raw(["checkout", "--quiet", "-b", "pr"]);
    await repo.write("grants/pr.yaml", "pr\n");
    const prCommit = await repo.commit("pr", "2026-01-03T00:00:00Z");
    await repo.git.raw(["push", "--quiet", bare, "pr:refs/pull/1/head"]);
    const opened = await openRepository({ repo: `file://${bare}`, cacheDir, ref: "refs/pull/1/head" });
    expect(opened.commit).toBe(prCommit);
  });

  it("refuses a missing path or a directory that is not a repository", async () => {
    await expect(openRepository({ repo: join(cacheDir, "nope"), cacheDir })).rejects.toMatchObject({
      code: "repo-not-found",
    });
    await expect(openRepository({ repo: cacheDir, cacheDir })).rejects.toMatchObject({
      code: "not-a-repository",
    });
  });

  it("reports an unreachable URL without its credentials", async () => {
    const error: unknown = await openRepository({
      repo: "file://user:s3cret@/nonexistent/repo.git",
      cacheDir,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "git-failed" });
    expect(String((error as Error).message)).not.toContain("s3cret");
    expect(cacheKey("https://x:tok1@github.com/a/b")).toBe(cacheKey("https://x:tok2@github.com/a/b"));
  });
});
