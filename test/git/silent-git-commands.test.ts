import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGit, type GitFactory } from "../../src/git/git-env.js";
import { openRepository } from "../../src/git/open-repository.js";
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

describe("the git commands that open a repository", () => {
  let repo: GitFixture;
  let cacheDir: string;
  beforeEach(async () => {
    repo = await createGitFixture();
    await repo.write("grants/a.yaml", "a\n");
    await repo.commit("one", "2026-01-01T00:00:00Z");
    cacheDir = await repo.tempDir();
  });
  afterEach(async () => repo.cleanup());

  it("a local repository without refs/remotes/origin/HEAD: two commands at once, none silent", async () => {
    const git = recordingGit();
    const opened = await openRepository({ repo: repo.dir, cacheDir, git: git.factory });
    expect(opened).toEqual({ dir: repo.dir, branch: "main", commit: await repo.head() });
    // Each git start forks the whole process: the repository check, HEAD's commit and branch come in one command.
    expect(git.commands).toHaveLength(2);
    expect(git.silent).toEqual([]);
  });

  it("a detached HEAD, an empty repository, a clone with origin/HEAD: the step-by-step path, same answers", async () => {
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
    // The clone's default branch is origin's: its commit, not the local branch's newer one.
    expect(await openRepository({ repo: repo.dir, cacheDir })).toMatchObject({
      branch: "main",
      commit: head,
    });
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
