import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { useExampleRepos } from "../helpers/example-repo.js";
import { parse } from "yaml";
import { readDirectoryFiles } from "../../src/grants/read-directory-files.js";
import { validateRepository } from "../../src/grants/validate-repository.js";
import { runCli } from "../helpers/run-cli.js";

const now = new Date("2026-11-25T12:00:00Z");
const clock = (): Date => now;
const exampleRepo = useExampleRepos("request");

const reason = ["--reason", "CHG-77: look into the failing import"];

describe("grantops request", () => {
  it("writes a grant file that validates and tells the next steps", async () => {
    const dir = await exampleRepo();
    const run = await runCli(
      [
        "request",
        "--user",
        "Erin@Example.com",
        "--user",
        "id:1173502977",
        "--resource",
        "Jira",
        "--duration",
        "2h",
        ...reason,
        "--ticket",
        "CHG-77",
      ],
      { cwd: dir, clock },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("wrote grants/erin-jira.yaml\n");
    expect(run.stdout).toContain("git checkout -b grant/erin-jira");
    expect(run.stdout).toContain("git add grants/erin-jira.yaml");
    const text = await readFile(path.join(dir, "grants", "erin-jira.yaml"), "utf8");
    expect(text).toMatch(/^# /);
    expect(parse(text)).toEqual({
      version: 1,
      users: ["Erin@Example.com", { id: 1173502977 }],
      resources: ["Jira"],
      reason: "CHG-77: look into the failing import",
      duration: "2h",
      ticket: "CHG-77",
    });
    const result = validateRepository(await readDirectoryFiles(dir), { now });
    expect(result.problems).toEqual([]);
    expect(result.grants.map((g) => g.id)).toContain("erin-jira");
  });

  it("honours --id, --org, --expires-at, --starts-at and --break-glass", async () => {
    const dir = await exampleRepo();
    const run = await runCli(
      [
        "request",
        "--id",
        "sre/oncall-prod-api",
        "--user",
        "bob@example.com",
        "--resource",
        "id:183461",
        "--starts-at",
        "2026-11-25T13:00:00Z",
        "--expires-at",
        "2026-11-25T13:45:00Z",
        "--org",
        "acme",
        "--break-glass",
        ...reason,
      ],
      { cwd: dir, clock },
    );
    expect(run.code).toBe(0);
    const text = await readFile(path.join(dir, "grants", "sre", "oncall-prod-api.yaml"), "utf8");
    expect(parse(text)).toEqual({
      version: 1,
      users: ["bob@example.com"],
      resources: [{ id: 183461 }],
      organization: "acme",
      reason: "CHG-77: look into the failing import",
      expiresAt: "2026-11-25T13:45:00Z",
      startsAt: "2026-11-25T13:00:00Z",
      breakGlass: true,
    });
  });

  it.each<[string, string[], RegExp]>([
    [
      "a denied resource",
      ["--user", "a@example.com", "--resource", "payroll-db", "--duration", "1h", ...reason],
      /grants\/a-payroll-db\.yaml:\d+:\d+: error: .*\[resource-denied\]/,
    ],
    [
      "a duration over the cap",
      ["--user", "a@example.com", "--resource", "prod-db", "--duration", "5h", ...reason],
      /error: duration 5h exceeds the policy's maximum of 4h for prod-db \[duration-over-cap\]/,
    ],
    [
      "break-glass over its cap",
      ["--user", "a@example.com", "--resource", "Jira", "--duration", "2h", "--break-glass", ...reason],
      /\[break-glass-over-cap\]/,
    ],
    [
      "a short reason",
      ["--user", "a@example.com", "--resource", "Jira", "--duration", "2h", "--reason", "short"],
      /\[schema\]/,
    ],
    [
      "a bad user",
      ["--user", "alice", "--resource", "Jira", "--duration", "2h", ...reason],
      /\[invalid-user\]/,
    ],
    [
      "an unknown organization",
      ["--user", "a@example.com", "--resource", "Jira", "--duration", "2h", "--org", "globex", ...reason],
      /\[unknown-organization\]/,
    ],
    [
      "an expiry in the past",
      ["--user", "a@example.com", "--resource", "Jira", "--expires-at", "2026-11-25T11:00:00Z", ...reason],
      /error: .*\[grant-expired\]/,
    ],
  ])("refuses %s (exit 4) and writes nothing", async (_title, args, message) => {
    const dir = await exampleRepo();
    const before = await readdir(path.join(dir, "grants"), { recursive: true });
    const run = await runCli(["request", ...args], { cwd: dir, clock });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/^grantops: refusing to write grants\//);
    expect(run.stderr).toMatch(message);
    expect(await readdir(path.join(dir, "grants"), { recursive: true })).toEqual(before);
  });

  it.each<[string, string[], RegExp]>([
    [
      "an existing file",
      [
        "--id",
        "payments/alice-jira",
        "--user",
        "a@example.com",
        "--resource",
        "Jira",
        "--duration",
        "1h",
        ...reason,
      ],
      /already exists.*\[grant-exists\]/,
    ],
    [
      "both --duration and --expires-at",
      [
        "--user",
        "a@example.com",
        "--resource",
        "Jira",
        "--duration",
        "1h",
        "--expires-at",
        "2026-11-25T13:00:00Z",
        ...reason,
      ],
      /at most one of --duration and --expires-at \[bad-arguments\]/,
    ],
    [
      "an id escaping grants/",
      ["--id", "../evil", "--user", "a@example.com", "--resource", "Jira", "--duration", "1h", ...reason],
      /\[bad-grant-id\]/,
    ],
    [
      "an uppercase id",
      ["--id", "Team/X", "--user", "a@example.com", "--resource", "Jira", "--duration", "1h", ...reason],
      /\[bad-grant-id\]/,
    ],
  ])("refuses %s (exit 4) without a stack trace", async (_title, args, message) => {
    const dir = await exampleRepo();
    const run = await runCli(["request", ...args], { cwd: dir, clock });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses --id expired/foo (exit 4): grants/expired/ is never reconciled, nothing is written", async () => {
    const dir = await exampleRepo();
    const args = ["--id", "expired/foo", "--user", "a@example.com", "--resource", "Jira", "--duration", "1h"];
    const run = await runCli(["request", ...args, ...reason], { cwd: dir, clock });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/grants\/expired\/, which is never reconciled.*\[bad-grant-id\]/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    await expect(readdir(path.join(dir, "grants", "expired"))).rejects.toThrow(/ENOENT/);
  });

  it("follows the policy: a reason is required by default, and neither duration nor expiry needs defaults.duration", async () => {
    const dir = await exampleRepo();
    const bare = ["request", "--user", "a@example.com", "--resource", "Jira"];
    const noReason = await runCli([...bare, "--duration", "1h"], { cwd: dir, clock });
    expect(noReason.code).toBe(4);
    expect(noReason.stderr).toMatch(/missing required field "reason".*\[missing-field\]/);
    const noDuration = await runCli([...bare, ...reason], { cwd: dir, clock });
    expect(noDuration.code).toBe(4);
    expect(noDuration.stderr).toMatch(/\[duration-or-expiry\]/);
    const policy = await readFile(path.join(dir, "policy.yaml"), "utf8");
    await writeFile(
      path.join(dir, "policy.yaml"),
      policy.replace(
        "defaults: { maxDuration: 8h,",
        "defaults: { duration: 1h30m, requireReason: false, maxDuration: 8h,",
      ),
    );
    const relaxed = await runCli(bare, { cwd: dir, clock });
    expect(relaxed.stderr).toBe("");
    expect(relaxed.code).toBe(0);
    expect(parse(await readFile(path.join(dir, "grants", "a-jira.yaml"), "utf8"))).toEqual({
      version: 1,
      users: ["a@example.com"],
      resources: ["Jira"],
    });
  });

  it("accepts a compound --duration", async () => {
    const dir = await exampleRepo();
    const run = await runCli(
      ["request", "--user", "a@example.com", "--resource", "Jira", "--duration", "1h30m", ...reason],
      { cwd: dir, clock },
    );
    expect(run.code).toBe(0);
    expect(parse(await readFile(path.join(dir, "grants", "a-jira.yaml"), "utf8"))).toMatchObject({
      duration: "1h30m",
    });
  });
});
