import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGit, type GitFactory } from "../../src/git/git-env.js";
import { cacheKey, openRepository } from "../../src/git/open-repository.js";
import { createGitFixture, type GitFixture } from "../helpers/git-fixture.js";

/**
 * simple-git waits 50 ms more for a git command that writes nothing on stdout or stderr (its completion
 * plugin), so the commands every run makes to open its repository must each write something, even when they
 * miss (README, "Scale"). The factory records every command and whether it wrote a byte.
 */
function recordingGit(): { factory: GitFactory; silent: string[]; commands: string[] } {
  const silent: string[] = [];
  const commands: string[] = [];
  const factory: GitFactory = (dir) =>
    createGit(dir).outputHandler((_command, stdout, stderr, args) => {
      const label = args.slice(0, 3).join(" ");
      commands.push(label);
      let wrote = false;
      const mark = (): void => {
        wrote = true;
      };
      stdout.on("data", mark);
      stderr.on("data", mark);
      stdout.on("close", () => {
        if (!wrote) silent.push(label);
      });
    });
  return { factory, silent, commands };
}

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

  it("a local repository without refs/remotes/origin/HEAD: two commands at once, none silent", async () => {
    const git = recordingGit();
    const opened = await openRepository({ repo: repo.dir, cacheDir, git: git.factory });
    expect(opened).toEqual({ dir: repo.dir, branch: "main", commit: await repo.head() });
    // Each git start forks the whole process: the repository check, HEAD's commit and branch come in one command.
    expect(git.commands).toHaveLength(2);
    expect(git.silent).toEqual([]);
  });

  it("a detached HEAD, an empty repository, a clone with origin/HEAD (dangling too): the same answers", async () => {
    const head = await repo.head();
    await repo.git.raw(["checkout", "--detach", "-q"]);
    await expect(openRepository({ repo: repo.dir, cacheDir })).rejects.toMatchObject({
      code: "no-default-branch",
    });
    await repo.git.raw(["checkout", "-q", "main"]);
    await repo.git.raw(["update-ref", "refs/remotes/origin/main", head]);
    await repo.git.raw(["symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main"]);
    await repo.write("grants/b.yaml", "b\n");
    await repo.commit("two", "2026-01-02T00:00:00Z");
    // The clone's default branch is origin's: its commit, not the local branch's newer one (one command more).
    const clone = recordingGit();
    expect(await openRepository({ repo: repo.dir, cacheDir, git: clone.factory })).toMatchObject({
      branch: "main",
      commit: head,
    });
    expect(clone.commands).toHaveLength(3);
    expect(clone.silent).toEqual([]);
    // A dangling refs/remotes/origin/HEAD still names the default branch: that branch has no commit.
    await repo.git.raw(["symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/gone"]);
    await expect(openRepository({ repo: repo.dir, cacheDir })).rejects.toMatchObject({
      code: "empty-branch",
    });
    const empty = await createGitFixture();
    try {
      await expect(openRepository({ repo: empty.dir, cacheDir })).rejects.toMatchObject({
        code: "empty-branch",
      });
    } finally {
      await empty.cleanup();
    }
  });

  it("a ref given by name that is not a local branch (tag): none is silent", async () => {
    await repo.git.raw(["tag", "v1"]);
    const git = recordingGit();
    const opened = await openRepository({ repo: repo.dir, cacheDir, ref: "v1", git: git.factory });
    expect(opened.commit).toBe(await repo.head());
    expect(git.silent).toEqual([]);
  });

  it("a URL fetched again with nothing new (every push to serve): none is silent", async () => {
    const url = `file://${await repo.bareClone()}`;
    await openRepository({ repo: url, cacheDir });
    const git = recordingGit();
    const opened = await openRepository({ repo: url, cacheDir, git: git.factory });
    expect(opened.commit).toBe(await repo.head());
    expect(git.commands.some((command) => command.startsWith("fetch"))).toBe(true);
    expect(git.silent).toEqual([]);
  });
});
