import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { blobShas } from "../../src/git/blob-shas.js";
import { readFilesAtCommit } from "../../src/git/read-files-at-commit.js";
import { createGitFixture, type GitFixture } from "../helpers/git-fixture.js";

const grantsAndPolicy = (path: string): boolean => path.startsWith("grants/") || path === "policy.yaml";
const text = (bytes: Uint8Array | undefined): string =>
  Buffer.from(bytes ?? new Uint8Array()).toString("utf8");

describe("readFilesAtCommit", () => {
  let repo: GitFixture;
  beforeEach(async () => {
    repo = await createGitFixture();
  });
  afterEach(async () => repo.cleanup());

  it("reads the commit, not a dirty working tree", async () => {
    await repo.write("grants/a.yaml", "committed\n");
    await repo.write("policy.yaml", "version: 1\n");
    await repo.write("README.md", "not wanted\n");
    const commit = await repo.commit("one", "2026-01-01T00:00:00Z");
    await repo.write("grants/a.yaml", "dirty\n");
    await repo.write("grants/untracked.yaml", "untracked\n");
    const files = await readFilesAtCommit(repo.dir, commit, grantsAndPolicy);
    expect([...files.keys()].sort()).toEqual(["grants/a.yaml", "policy.yaml"]);
    expect(text(files.get("grants/a.yaml"))).toBe("committed\n");
  });

  it("returns binary and large files byte for byte, and identical files under both paths", async () => {
    const binary = new Uint8Array([0, 1, 2, 10, 255, 10, 0]);
    const large = "x".repeat(200_000);
    await repo.write("grants/bin.yaml", binary);
    await repo.write("grants/large.yaml", large);
    await repo.write("grants/copy1.yaml", "same\n");
    await repo.write("grants/copy2.yaml", "same\n");
    await repo.write("grants/ünïcode name.yaml", "u\n");
    const commit = await repo.commit("files", "2026-01-01T00:00:00Z");
    const files = await readFilesAtCommit(repo.dir, commit, grantsAndPolicy);
    expect(files.get("grants/bin.yaml")).toEqual(binary);
    expect(text(files.get("grants/large.yaml"))).toBe(large);
    expect(text(files.get("grants/copy1.yaml"))).toBe("same\n");
    expect(text(files.get("grants/copy2.yaml"))).toBe("same\n");
    expect(text(files.get("grants/ünïcode name.yaml"))).toBe("u\n");
  });

  it("reads 2,000 files in one batch and gives their blob shas", async () => {
    for (let index = 0; index < 2000; index++) {
      await repo.write(`grants/team-${index % 20}/user-${index}.yaml`, `index: ${index}\n`);
    }
    const commit = await repo.commit("many", "2026-01-01T00:00:00Z");
    const files = await readFilesAtCommit(repo.dir, commit, grantsAndPolicy);
    expect(files.size).toBe(2000);
    expect(text(files.get("grants/team-7/user-1567.yaml"))).toBe("index: 1567\n");
    const shas = await blobShas(repo.dir, commit, ["grants/team-7/user-1567.yaml", "grants/missing.yaml"]);
    const expected = (await repo.git.raw(["rev-parse", `${commit}:grants/team-7/user-1567.yaml`])).trim();
    expect(shas.get("grants/team-7/user-1567.yaml")).toBe(expected);
    expect(shas.has("grants/missing.yaml")).toBe(false);
  });

  it("returns an empty map when nothing matches", async () => {
    await repo.write("README.md", "x\n");
    const commit = await repo.commit("one", "2026-01-01T00:00:00Z");
    expect((await readFilesAtCommit(repo.dir, commit, grantsAndPolicy)).size).toBe(0);
  });

  it("fails with a GitError for an unknown commit", async () => {
    await repo.write("README.md", "x\n");
    await repo.commit("one", "2026-01-01T00:00:00Z");
    await expect(readFilesAtCommit(repo.dir, "0".repeat(40), grantsAndPolicy)).rejects.toMatchObject({
      code: "git-failed",
    });
  });
});
