import { readFile, writeFile, access } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { useExampleRepos } from "../helpers/example-repo.js";
import { parse } from "yaml";
import { runCli } from "../helpers/run-cli.js";

const clock = (): Date => new Date("2026-11-25T12:00:00Z");
const exampleRepo = useExampleRepos("revoke");

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

describe("grantops revoke", () => {
  it("removes the grant's file and prints the next steps", async () => {
    const dir = await exampleRepo();
    const run = await runCli(["revoke", "payments/alice-jira"], { cwd: dir, clock });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("removed grants/payments/alice-jira.yaml\n");
    expect(run.stdout).toContain('git commit -m "revoke: payments/alice-jira"');
    expect(await exists(path.join(dir, "grants/payments/alice-jira.yaml"))).toBe(false);
  });

  it.each([
    ["an unknown grant", "payments/nobody", /no grant payments\/nobody.*\[grant-not-found\]/],
    ["an id escaping grants/", "../policy", /\[bad-grant-id\]/],
  ])("refuses %s (exit 4), removing nothing", async (_title, id, message) => {
    const dir = await exampleRepo();
    const run = await runCli(["revoke", id], { cwd: dir, clock });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(message);
    expect(await exists(path.join(dir, "policy.yaml"))).toBe(true);
  });
});

describe("grantops extend", () => {
  it("writes a new version with the new duration (expiresAt and a past startsAt dropped), keeping comments", async () => {
    const dir = await exampleRepo();
    const file = path.join(dir, "grants/late.yaml");
    await writeFile(
      file,
      '# keep me\nversion: 1\nusers: [erin@example.com]\nresources: [Wiki]\nreason: "CHG-9: wiki maintenance"\nexpiresAt: 2026-11-25T13:00:00Z\nstartsAt: 2026-11-25T09:00:00Z\nticket: CHG-9\n',
    );
    const run = await runCli(["extend", "late", "--duration", "1h30m"], { cwd: dir, clock });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("a new approval is needed");
    const text = await readFile(file, "utf8");
    expect(text.startsWith("# keep me\n")).toBe(true);
    expect(parse(text)).toEqual({
      version: 1,
      users: ["erin@example.com"],
      resources: ["Wiki"],
      reason: "CHG-9: wiki maintenance",
      duration: "1h30m",
      ticket: "CHG-9",
    });
    expect(Object.keys(parse(text) as object)).toEqual([
      "version",
      "users",
      "resources",
      "reason",
      "duration",
      "ticket",
    ]);
  });

  it("refuses a duration over the policy's cap (exit 4) and writes nothing", async () => {
    const dir = await exampleRepo();
    const file = path.join(dir, "grants/sre/bob-prod-db.yaml");
    const before = await readFile(file, "utf8");
    const run = await runCli(["extend", "sre/bob-prod-db", "--duration", "2d12h"], { cwd: dir, clock });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(
      /refusing to extend grants\/sre\/bob-prod-db\.yaml:[\s\S]*\[duration-over-cap\]/,
    );
    expect(await readFile(file, "utf8")).toBe(before);
  });

  it("refuses a bad --duration", async () => {
    const run = await runCli(["extend", "sre/bob-prod-db", "--duration", "1h05m"], {
      cwd: await exampleRepo(),
      clock,
    });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/\[bad-arguments\]/);
  });
});
