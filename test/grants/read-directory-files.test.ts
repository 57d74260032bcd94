import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readDirectoryFiles } from "../../src/grants/read-directory-files.js";

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "grantops-read-"));
  temps.push(dir);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  return dir;
}

describe("readDirectoryFiles", () => {
  it("reads the policy and every file under grants/ (for validation to report strays), skipping grants/expired/", async () => {
    const dir = await tree({
      "policy.yaml": "p",
      "grants/a.yaml": "a",
      "grants/team/b.yml": "b",
      "grants/team/notes.md": "n",
      "grants/expired/old.yaml": "o",
      "other/c.yaml": "c",
    });
    const files = await readDirectoryFiles(dir);
    expect([...files.keys()].sort()).toEqual([
      "grants/a.yaml",
      "grants/team/b.yml",
      "grants/team/notes.md",
      "policy.yaml",
    ]);
    expect(new TextDecoder().decode(files.get("grants/team/b.yml"))).toBe("b");
  });

  it("reads the policy from a configurable path and works without a grants/ directory", async () => {
    const dir = await tree({ "config/policy.yaml": "p" });
    const files = await readDirectoryFiles(dir, { policyPath: "config/policy.yaml" });
    expect([...files.keys()]).toEqual(["config/policy.yaml"]);
  });

  it("reads at most just past 64 KiB of a huge file", async () => {
    const dir = await tree({ "grants/big.yaml": "x".repeat(1_000_000) });
    const files = await readDirectoryFiles(dir);
    expect(files.get("grants/big.yaml")?.byteLength).toBe(64 * 1024 + 1);
  });

  it("follows no symbolic link: links to files and directories are recorded as irregular, never read", async () => {
    const dir = await tree({
      "grants/real.yaml": "r",
      "elsewhere/x.yaml": "x",
      "outside.yml": "secret_key: 1",
    });
    await symlink(path.join(dir, "grants", "real.yaml"), path.join(dir, "grants", "link.yaml"));
    await symlink(path.join(dir, "elsewhere"), path.join(dir, "grants", "dirlink"));
    await symlink(path.join(dir, "outside.yml"), path.join(dir, "policy.yaml"));
    const files = await readDirectoryFiles(dir);
    expect([...files.keys()].sort()).toEqual(["grants/real.yaml"]);
    expect([...files.irregular].sort()).toEqual([
      ["grants/dirlink", "a symbolic link"],
      ["grants/link.yaml", "a symbolic link"],
      ["policy.yaml", "a symbolic link"],
    ]);
  });

  it("fails with an invalid-input error for a missing directory", async () => {
    await expect(readDirectoryFiles(path.join(os.tmpdir(), "grantops-no-such-dir"))).rejects.toMatchObject({
      code: "repo-not-found",
      exitCode: 4,
    });
  });
});
