// grantops audit end to end: apply --trust-git against the emulator and a real temp git repo, a revoke, an
// expiry, then audit in all three formats, with filters, and cross-checked with the live rules (--live).
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createE2eWorld, grantYaml, T0, type E2eWorld } from "../helpers/e2e-world.js";
import type { AccessInterval } from "../../src/core/audit/audit-types.js";

const alicePath = "grants/payments/alice-jira.yaml";
const teamPath = "grants/data/carol-dave.yaml";
const bobPath = "grants/ops/bob-grafana.yaml";
const at = (hours: number, minutes = 0): string =>
  new Date(Date.parse(T0) + (hours * 60 + minutes) * 60_000).toISOString().replace(/\.000Z$/, "Z");
const tester = "Grantops Test <test@example.com>";

let world: E2eWorld;
let firstCommit: string;
let bobCommit: string;

beforeAll(async () => {
  let clock = (): number => Date.parse(T0);
  world = await createE2eWorld({
    emulator: { clock: () => clock() },
    grants: {
      [alicePath]: grantYaml({
        users: ["alice@example.com"],
        resources: ["Jira"],
        duration: "4h",
        reason: "CHG-1: investigate failed payments import",
      }),
      [teamPath]: grantYaml({
        users: ["dave@example.com", "carol@example.com"],
        resources: ["Wiki", "Grafana"],
        duration: "8h",
        reason: "INC-7: restore the wiki for the data team",
      }),
    },
  });
  clock = () => world.now().getTime();
  firstCommit = await world.repo.head();
  const apply = async (): Promise<void> => {
    const run = await world.cli(["apply", "--trust-git"]);
    expect(run.code, run.stderr).toBe(0);
  };
  await apply(); // 09:01: alice and the team get rules
  world.setNow(at(1, 1));
  await world.commit({ [teamPath]: null }, at(1), "revoke the data team"); // 10:00 revoke
  await apply(); // 10:01: the team's rule is deleted (removed)
  bobCommit = await world.commit(
    {
      [bobPath]: grantYaml({
        users: ["bob@example.com"],
        resources: ["Grafana"],
        duration: "8h",
        reason: "OPS-3: tune the alerting dashboards",
      }),
    },
    at(2),
    "bob grafana",
  );
  world.setNow(at(2, 1));
  await apply(); // 11:01: bob gets a rule
  world.setNow(at(4, 5));
  await apply(); // 13:05: alice's rule expired (13:00) and is deleted
});

afterAll(async () => {
  await world?.close();
});

async function auditJson(args: string[] = []): Promise<AccessInterval[]> {
  const run = await world.cli(["audit", "--format", "json", ...args]);
  expect(run.code, run.stderr).toBe(0);
  const document = JSON.parse(run.stdout) as { version: number; intervals: AccessInterval[] };
  expect(document.version).toBe(1);
  return document.intervals;
}

const brief = (intervals: AccessInterval[]) => intervals.map((i) => [i.grantId, i.from, i.until, i.endedBy]);

describe("grantops audit", () => {
  it("json: who had access to what, when, approved how, and why (reason and people from git)", async () => {
    const intervals = await auditJson();
    expect(brief(intervals)).toEqual([
      ["data/carol-dave", at(0, 1), at(1, 1), "removed"],
      ["payments/alice-jira", at(0, 1), at(4, 5), "expired"],
      ["ops/bob-grafana", at(2, 1), null, null],
    ]);
    const [team, alice, bob] = intervals;
    expect(team).toMatchObject({
      organization: "acme",
      users: ["dave@example.com", "carol@example.com"],
      resources: ["Wiki", "Grafana"],
      version: firstCommit,
      approval: "trust-git",
      approvers: [],
      requester: tester,
      mergedBy: tester,
      reason: "INC-7: restore the wiki for the data team",
      breakGlass: false,
      live: null,
      notes: [],
    });
    expect(alice).toMatchObject({
      users: ["alice@example.com"],
      resources: ["Jira"],
      expiresAt: at(4),
      reason: "CHG-1: investigate failed payments import",
    });
    expect(bob).toMatchObject({
      version: bobCommit,
      reason: "OPS-3: tune the alerting dashboards",
      expiresAt: at(10, 0),
    });
    expect(bob!.ruleId).toBe(world.managed()[0]!.ruleId);
  });

  it("filters by time window (absolute and relative), user, resource and grant", async () => {
    const grants = async (args: string[]) => (await auditJson(args)).map((i) => i.grantId);
    expect(await grants(["--since", at(1, 30)])).toEqual(["payments/alice-jira", "ops/bob-grafana"]);
    expect(await grants(["--since", "3h"])).toEqual(["payments/alice-jira", "ops/bob-grafana"]); // now 13:05
    expect(await grants(["--until", at(0, 30)])).toEqual(["data/carol-dave", "payments/alice-jira"]);
    expect(await grants(["--since", at(1, 1), "--until", at(1, 1)])).toEqual(["payments/alice-jira"]);
    expect(await grants(["--user", "CAROL@example.com"])).toEqual(["data/carol-dave"]);
    expect(await grants(["--resource", "grafana"])).toEqual(["data/carol-dave", "ops/bob-grafana"]);
    expect(await grants(["--grant", "payments/alice-jira"])).toEqual(["payments/alice-jira"]);
    expect(await grants(["--user", "nobody@example.com"])).toEqual([]);
  });

  it("table: aligned rows with live and ended intervals", async () => {
    const run = await world.cli(["audit"]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toMatch(/^FROM\s+UNTIL\s+USERS/);
    expect(lines[1]).toContain(`${at(1, 1)} removed`);
    expect(lines[1]).toContain("dave@example.com, carol@example.com");
    expect(lines[1]).toContain(`trust-git, merged by ${tester}`);
    expect(lines[1]).toMatch(/INC-7: restore the wiki for the data team$/);
    expect(lines[2]).toContain(`${at(4, 5)} expired`);
    expect(lines[3]).toMatch(new RegExp(`^${at(2, 1)}\\s+live\\s+bob@example.com`));
    expect(run.stdout).toContain("3 intervals");
  });

  it("csv: header row and one RFC 4180 row per interval", async () => {
    const run = await world.cli(["audit", "--format", "csv", "--grant", "payments/alice-jira"]);
    expect(run.code, run.stderr).toBe(0);
    const [header, row, end] = run.stdout.split("\r\n");
    expect(header!.split(",").slice(0, 4)).toEqual(["from", "until", "endedBy", "live"]);
    expect(row).toContain(`${at(0, 1)},${at(4, 5)},expired,,acme,payments/alice-jira,`);
    expect(row).toContain(`,${tester},${tester},CHG-1: investigate failed payments import,,false,`);
    expect(end).toBe("");
  });

  it("bad arguments and a missing journal exit 4; the error names the problem", async () => {
    const bad = await world.cli(["audit", "--since", "last tuesday", "--format", "xml"]);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain('--since "last tuesday"');
    expect(bad.stderr).toContain("--format must be table, json or csv");
    const reversed = await world.cli(["audit", "--since", at(3), "--until", at(1)]);
    expect(reversed.code).toBe(4);
    const missing = await world.cli(["audit", "--journal", "nowhere.jsonl"]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain("journal not found");
  });

  it("a torn journal line is skipped with a warning", async () => {
    const torn = join(world.home, "torn.jsonl");
    const lines = (await world.journal()).map((entry) => JSON.stringify(entry));
    await writeFile(torn, `${lines.join("\n")}\n{"time":"2026-03-0`);
    const run = await world.cli(["audit", "--journal", torn, "--format", "json"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("skipped an unreadable journal line");
    expect((JSON.parse(run.stdout) as { intervals: unknown[] }).intervals).toHaveLength(3);
  });

  it("--live: confirms the live rule, and builds intervals for rules the journal lacks", async () => {
    const intervals = await auditJson(["--live"]);
    expect(intervals.map((i) => [i.grantId, i.live])).toEqual([
      ["data/carol-dave", false],
      ["payments/alice-jira", false],
      ["ops/bob-grafana", true],
    ]);
    const run = await world.cli(["audit", "--live", "--journal", "fresh.jsonl", "--format", "json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("journal not found");
    const [bob, ...rest] = (JSON.parse(run.stdout) as { intervals: AccessInterval[] }).intervals;
    expect(rest).toEqual([]);
    expect(bob).toMatchObject({
      grantId: "ops/bob-grafana",
      from: at(2, 1),
      until: null,
      live: true,
      users: ["Bob Builder (bob@example.com)"],
      resources: ["Grafana"],
      expiresAt: at(10),
      version: bobCommit,
      reason: "OPS-3: tune the alerting dashboards",
      requester: tester,
    });
    expect(bob!.notes[0]).toContain("not in the journal");
    const byUpn = await world.cli([
      "audit",
      "--live",
      "--journal",
      "fresh.jsonl",
      "--user",
      "bob@example.com",
    ]);
    expect(byUpn.stdout).toContain("ops/bob-grafana");
  });

  it("--live: an open interval whose rule vanished outside grantops is flagged", async () => {
    const index = world.emulator.state.rules.findIndex((rule) =>
      rule.ruleName.startsWith("grantops-ops-bob"),
    );
    world.emulator.state.rules.splice(index, 1);
    const run = await world.cli(["audit", "--live", "--grant", "ops/bob-grafana"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("gone (unrecorded)");
    expect(run.stdout).toContain("not found in Secure Access");
  });
});
