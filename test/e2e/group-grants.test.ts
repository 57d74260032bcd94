// End to end against the emulator and a real git repository: a grant naming a directory group gets one rule
// whose identity condition holds the users' and the group's identity ids; the next plan keeps it (also with no
// state file and no journal: git explains its marker); removing the file deletes the rule. A group on a resource
// whose rule requires 2 approvals is refused by the policy's default (allowGroups).
import { afterEach, describe, expect, test } from "vitest";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { createE2eWorld, ids, T0, type E2eWorld } from "../helpers/e2e-world.js";

const oncallSre = 1173600002;
const groupPath = "grants/ops/oncall-grafana.yaml";
const groupGrant = (resources: string) =>
  [
    "version: 1",
    "users: [alice@example.com]",
    "groups: [oncall-sre]",
    `resources: [${resources}]`,
    'reason: "INC-7: on-call needs the dashboards"',
    "duration: 4h",
    "",
  ].join("\n");

const at = (offsetSeconds: number): string =>
  new Date(Date.parse(T0) + offsetSeconds * 1000).toISOString().replace(/\.000Z$/, "Z");

let world: E2eWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe("a grant with a group, end to end", () => {
  test("apply creates one rule for the user and the group; the next plan changes nothing; removal deletes it", async () => {
    const w = (world = await createE2eWorld({ grants: { [groupPath]: groupGrant("Grafana") } }));
    const applied = await w.cli(["apply", "--trust-git"]);
    expect(applied.code, applied.stderr).toBe(0);
    const [rule, ...others] = w.managed();
    expect(others).toEqual([]);
    expect(rule!.ruleName).toMatch(/^grantops-ops-oncall-grafana-[0-9a-f]{6}$/);
    expect(rule!.ruleConditions).toEqual([
      {
        attributeName: "umbrella.source.identity_ids",
        attributeOperator: "INTERSECT",
        attributeValue: [ids.alice, oncallSre],
      },
      {
        attributeName: "umbrella.destination.private_resource_ids",
        attributeOperator: "IN",
        attributeValue: [ids.grafana],
      },
    ]);
    const [entry] = await w.journal();
    expect(entry).toMatchObject({ action: "create", users: ["alice@example.com"], groups: ["oncall-sre"] });

    const again = await w.cli(["plan", "--trust-git"]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain("No changes.");

    // Without grantops' record (state file and journal gone), the rule is still proven ours: its full
    // conditions hash to its marker and git shows a version with that hash.
    await rm(join(w.home, ".grantops"), { recursive: true, force: true });
    const cold = await w.cli(["plan", "--trust-git", "--format", "json"]);
    expect(cold.code, cold.stdout + cold.stderr).toBe(0);
    const [plan] = (JSON.parse(cold.stdout) as { plans: Array<Record<string, unknown>> }).plans;
    expect(plan).toMatchObject({
      steps: [],
      kept: [{ ruleId: rule!.ruleId, grantId: "ops/oncall-grafana" }],
    });

    await w.commit({ [groupPath]: null }, at(3600), "revoke the on-call grant");
    w.advance(3600);
    const removed = await w.cli(["apply", "--trust-git", "--allow-empty"]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(/ok\s+delete grantops-ops-oncall-grafana-[0-9a-f]{6} \(removed\)/);
    expect(w.managed()).toEqual([]);
  });

  test("audit names the group, from the journal and (--live, without the journal) from the rule itself", async () => {
    const w = (world = await createE2eWorld({ grants: { [groupPath]: groupGrant("Grafana") } }));
    const applied = await w.cli(["apply", "--trust-git"]);
    expect(applied.code, applied.stderr).toBe(0);
    const fromJournal = await w.cli(["audit", "--format", "json", "--journal", w.journalPath]);
    expect(fromJournal.code, fromJournal.stderr).toBe(0);
    const [interval] = (JSON.parse(fromJournal.stdout) as { intervals: Array<Record<string, unknown>> })
      .intervals;
    expect(interval).toMatchObject({
      users: ["alice@example.com"],
      groups: ["oncall-sre"],
      resources: ["Grafana"],
    });
    const table = await w.cli(["audit", "--journal", w.journalPath]);
    expect(table.stdout).toContain("alice@example.com, group oncall-sre");

    // grantops cannot see who is in oncall-sre: bob's audit lists the group grant, with a note to check.
    const bob = await w.cli(["audit", "--journal", w.journalPath, "--user", "bob@example.com"]);
    expect(bob.code, bob.stderr).toBe(0);
    expect(bob.stdout).toMatch(/alice@example\.com, group oncall-sre .* ops\/oncall-grafana \[1\]/);
    expect(bob.stdout).toMatch(
      /\[1\] grantops-ops-oncall-grafana-[0-9a-f]{6} \(rule \d+\): granted to group oncall-sre, not to bob@example\.com by name: grantops cannot see directory membership; check whether bob@example\.com was a member\n\n1 interval\n$/,
    );
    const byGroup = await w.cli([
      "audit",
      "--journal",
      w.journalPath,
      "--group",
      "ONCALL-sre",
      "--format",
      "csv",
    ]);
    expect(byGroup.stdout.trimEnd().split("\r\n")).toHaveLength(2);
    const otherGroup = await w.cli(["audit", "--journal", w.journalPath, "--group", "dba"]);
    expect(otherGroup.stdout).toBe("no access intervals match\n");

    const live = await w.cli(["audit", "--live", "--journal", "fresh.jsonl", "--format", "json"]);
    expect(live.code, live.stderr).toBe(0);
    const [rebuilt] = (JSON.parse(live.stdout) as { intervals: Array<Record<string, unknown>> }).intervals;
    expect(rebuilt).toMatchObject({ live: true, users: ["alice@example.com"], groups: ["oncall-sre"] });
  });

  test("plan shows the group; a group on a 2-approval resource is refused by the default policy", async () => {
    const w = (world = await createE2eWorld({ grants: { [groupPath]: groupGrant("Grafana") } }));
    const planned = await w.cli(["plan", "--trust-git"]);
    expect(planned.code, planned.stderr).toBe(2);
    expect(planned.stdout).toMatch(
      /\+ create grantops-ops-oncall-grafana-[0-9a-f]{6} {2}grant ops\/oncall-grafana {2}grantees alice@example\.com, group oncall-sre → Grafana/,
    );

    await w.commit({ [groupPath]: groupGrant("prod-db") }, at(60), "the group on prod-db");
    const validated = await w.cli(["validate", "--repo", w.repo.dir]);
    expect(validated.code).toBe(4);
    expect(validated.stdout + validated.stderr).toMatch(
      /grants\/ops\/oncall-grafana\.yaml:3:1: error: groups are not allowed for prod-db .*\[groups-not-allowed\]/,
    );
    const refused = await w.cli(["apply", "--trust-git"]);
    expect(refused.stdout + refused.stderr).toMatch(
      /ops\/oncall-grafana.*groups are not allowed for prod-db/,
    );
    expect(w.managed()).toEqual([]);
  });
});
