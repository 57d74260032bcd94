import { cp, rm, writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { simpleGit } from "simple-git";
import { describe, expect, it } from "vitest";
import { useExampleRepos } from "../helpers/example-repo.js";
import { runCli } from "../helpers/run-cli.js";

const brokenRepo = fileURLToPath(new URL("../fixtures/broken-repo", import.meta.url));
const clock = (): Date => new Date("2026-11-25T12:00:00Z");
const gitEnv = { PATH: process.env["PATH"] ?? "", HOME: os.tmpdir(), LC_ALL: "C", GIT_TERMINAL_PROMPT: "0" };

const exampleRepo = useExampleRepos("validate");

const grant = (expiresAt: string): string =>
  `version: 1\nusers: [erin@example.com]\nresources: [Wiki]\nreason: "CHG-9: wiki maintenance"\nexpiresAt: ${expiresAt}\n`;

describe("grantops validate", () => {
  it("accepts the example repository (exit 0)", async () => {
    const run = await runCli(["validate", "--repo", await exampleRepo()], { clock });
    expect(run).toEqual({ code: 0, stdout: "4 files checked: 0 errors, 0 warnings\n", stderr: "" });
  });

  it("lists every problem of a repository with several broken files, with line and column (exit 4)", async () => {
    const run = await runCli(["validate"], { cwd: brokenRepo, clock });
    expect(run.code).toBe(4);
    expect(run.stderr).toBe("");
    expect(run.stdout.split("\n").map((line) => line.replace(/: (error|warning): .* \[/, ": $1: ["))).toEqual(
      [
        "grants/ops/dup-key.yml:6:1: error: [yaml-duplicate-key]",
        "grants/ops/old.yaml:5:12: warning: [grant-expired]",
        "grants/ops/prod-too-long.yaml:5:11: error: [break-glass-over-cap]",
        "grants/ops/prod-too-long.yaml:5:11: error: [duration-over-cap]",
        "grants/team/many-problems.yaml:2:28: error: [invalid-user]",
        "grants/team/many-problems.yaml:3:13: error: [resource-denied]",
        "grants/team/many-problems.yaml:4:9: error: [schema]",
        "grants/team/many-problems.yaml:6:1: error: [duration-or-expiry]",
        "grants/team/many-problems.yaml:7:1: error: [unknown-field]",
        "6 files checked: 8 errors, 1 warning",
        "",
      ],
    );
  });

  it("prints JSON with --format json", async () => {
    const run = await runCli(["validate", "--repo", brokenRepo, "--format", "json"], { clock });
    expect(run.code).toBe(4);
    const report = JSON.parse(run.stdout) as { errors: object[]; warnings: object[] };
    expect(report.errors).toHaveLength(8);
    expect(report.errors[0]).toEqual({
      file: "grants/ops/dup-key.yml",
      line: 6,
      column: 1,
      code: "yaml-duplicate-key",
      message: 'duplicate key "duration"',
    });
    expect(report.warnings).toEqual([
      {
        file: "grants/ops/old.yaml",
        line: 5,
        column: 12,
        code: "grant-expired",
        message: "grant expired at 2026-01-01T00:00:00Z: move it to grants/expired/ (grantops tidy)",
      },
    ]);
  });

  it("reports a missing policy.yaml on line 1", async () => {
    const dir = await exampleRepo();
    await rm(path.join(dir, "policy.yaml"));
    const run = await runCli(["validate", "--repo", dir], { clock });
    expect(run.code).toBe(4);
    expect(run.stdout).toContain("policy.yaml:1:1: error: policy file policy.yaml is missing");
  });

  it("reads the policy from --policy", async () => {
    const dir = await exampleRepo();
    await mkdir(path.join(dir, "config"));
    await cp(path.join(dir, "policy.yaml"), path.join(dir, "config", "grant-policy.yaml"));
    await rm(path.join(dir, "policy.yaml"));
    const run = await runCli(["validate", "--policy", "config/grant-policy.yaml"], { cwd: dir, clock });
    expect(run).toMatchObject({ code: 0, stdout: "4 files checked: 0 errors, 0 warnings\n" });
  });

  it.each([
    [["validate", "--format", "xml"], /--format xml: use text or json \[bad-format\]/],
    [["validate", "--repo", "/nonexistent/grantops-repo"], /does not exist \[repo-not-found\]/],
  ])("refuses bad input without a stack trace: %j", async (args, message) => {
    const run = await runCli(args, { clock });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  describe("duration grants on a git branch", () => {
    const durationGrant = `version: 1\nusers: [erin@example.com]\nresources: [Wiki]\nreason: "CHG-9: wiki maintenance"\nduration: 1h30m\n`;

    async function committedAt(date: string): Promise<string> {
      const dir = await exampleRepo();
      await writeFile(path.join(dir, "grants", "landed.yaml"), durationGrant);
      const dated = { ...gitEnv, GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date };
      const git = simpleGit({
        baseDir: dir,
        allowEnvironment: ["GIT_TERMINAL_PROMPT", "GIT_COMMITTER_DATE", "GIT_AUTHOR_DATE"],
      }).env(dated);
      await git.init();
      await git.addConfig("user.email", "test@example.com");
      await git.addConfig("user.name", "Test");
      await git.add(".");
      await git.commit("base");
      return dir;
    }

    it("warns about a duration grant past its landing time + duration", async () => {
      const dir = await committedAt("2026-11-25T10:00:00Z");
      const run = await runCli(["validate"], { cwd: dir, clock, env: gitEnv });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /^grants\/landed\.yaml:5:11: warning: grant expired at 2026-11-25T11:30:00Z: .*\[grant-expired\]$/m,
      );
    });

    it("says nothing while it lasts, for an uncommitted edit, or outside git", async () => {
      const recent = await committedAt("2026-11-25T11:00:00Z");
      expect((await runCli(["validate"], { cwd: recent, clock, env: gitEnv })).stdout).not.toMatch(
        /landed\.yaml.*grant-expired/,
      );
      const edited = await committedAt("2026-11-25T10:00:00Z");
      await writeFile(path.join(edited, "grants", "landed.yaml"), durationGrant.replace("CHG-9", "CHG-10"));
      expect((await runCli(["validate"], { cwd: edited, clock, env: gitEnv })).stdout).not.toMatch(
        /landed\.yaml.*grant-expired/,
      );
      const plain = await exampleRepo();
      await writeFile(path.join(plain, "grants", "landed.yaml"), durationGrant);
      expect((await runCli(["validate"], { cwd: plain, clock, env: gitEnv })).stdout).not.toMatch(
        /landed\.yaml.*grant-expired/,
      );
    });
  });

  describe("--changed-since", () => {
    async function gitRepo(): Promise<string> {
      const dir = await exampleRepo();
      await writeFile(path.join(dir, "grants", "old.yaml"), grant("2026-01-01T00:00:00Z"));
      await writeFile(
        path.join(dir, "grants", "edited.yaml"),
        grant("2026-11-25T18:00:00Z").replace("erin", "dave"),
      );
      const git = simpleGit({ baseDir: dir, allowEnvironment: ["GIT_TERMINAL_PROMPT"] }).env(gitEnv);
      await git.init();
      await git.addConfig("user.email", "test@example.com");
      await git.addConfig("user.name", "Test");
      await git.add(".");
      await git.commit("base");
      return dir;
    }

    it("makes an expired grant an error only in files changed since the ref", async () => {
      const dir = await gitRepo();
      await writeFile(
        path.join(dir, "grants", "edited.yaml"),
        grant("2026-02-01T00:00:00Z").replace("erin", "dave"),
      );
      await writeFile(
        path.join(dir, "grants", "new.yaml"),
        grant("2026-03-01T00:00:00Z").replace("erin", "carol"),
      );
      const run = await runCli(["validate", "--changed-since", "HEAD"], {
        cwd: dir,
        clock,
        env: gitEnv,
      });
      expect(run.code).toBe(4);
      expect(run.stdout).toMatch(/^grants\/edited\.yaml:5:12: error: .*\[grant-expired\]$/m);
      expect(run.stdout).toMatch(/^grants\/new\.yaml:5:12: error: .*\[grant-expired\]$/m);
      expect(run.stdout).toMatch(/^grants\/old\.yaml:5:12: warning: .*\[grant-expired\]$/m);
      expect(run.stdout).toMatch(/7 files checked: 2 errors, 1 warning\n$/);
    });

    it("passes when nothing expired changed", async () => {
      const dir = await gitRepo();
      const run = await runCli(["validate", "--changed-since", "HEAD"], {
        cwd: dir,
        clock,
        env: gitEnv,
      });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/grants\/old\.yaml:5:12: warning: /);
    });

    it("refuses an unknown ref (exit 4)", async () => {
      const dir = await gitRepo();
      const run = await runCli(["validate", "--changed-since", "no-such-ref"], {
        cwd: dir,
        clock,
        env: gitEnv,
      });
      expect(run.code).toBe(4);
      expect(run.stderr).toMatch(/--changed-since no-such-ref: not a commit .*\[bad-ref\]/);
    });
  });
});
