// End to end: grantops plan/apply in-process against the emulator and a real temporary git repository.
// Create, steady state, approval without GitHub, expiry, revoke, edit (replace), foreign rules untouched.
import { afterEach, describe, expect, test } from "vitest";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createE2eWorld, grantYaml, ids, packageRoot, T0, type E2eWorld } from "../helpers/e2e-world.js";

const alicePath = "grants/payments/alice-jira.yaml";
const teamPath = "grants/data/carol-dave.yaml";
const alice = grantYaml({ users: ["alice@example.com"], resources: ["Jira"], duration: "4h" });
const team = grantYaml({
  users: ["dave@example.com", "carol@example.com"],
  resources: ["Wiki", "Grafana"],
  duration: "8h",
});

const at = (offsetSeconds: number): string =>
  new Date(Date.parse(T0) + offsetSeconds * 1000).toISOString().replace(/\.000Z$/, "Z");
const hour = 3600;

let world: E2eWorld;
afterEach(async () => {
  await world?.close();
});

async function twoGrantsApplied(): Promise<E2eWorld> {
  world = await createE2eWorld({ grants: { [alicePath]: alice, [teamPath]: team } });
  const run = await world.cli(["apply", "--trust-git"]);
  expect(run.code, run.stderr).toBe(0);
  return world;
}

const ruleOf = (w: E2eWorld, grantId: string) =>
  w.managed().filter((rule) => (rule.ruleDescription ?? "").includes(` grant=${grantId} `));

describe("apply --trust-git creates the desired rules", () => {
  test("one rule per live grant, with the exact desired shape, and a journal line per step", async () => {
    const w = await twoGrantsApplied();
    const rules = w.managed();
    expect(rules).toHaveLength(2);
    const [teamRule] = ruleOf(w, "data/carol-dave");
    expect(teamRule!.ruleName).toMatch(/^grantops-data-carol-dave-[0-9a-f]{6}$/);
    expect(teamRule!.ruleDescription).toMatch(
      /^grantops\/v1 exp=2026-03-02T17:00:00Z sha=[0-9a-f]{12} grant=data\/carol-dave pr=-$/,
    );
    expect(teamRule).toMatchObject({
      ruleAction: "allow",
      ruleIsEnabled: true,
      ruleIsDefault: false,
      ruleConditions: [
        {
          attributeName: "umbrella.source.identity_ids",
          attributeOperator: "INTERSECT",
          attributeValue: [ids.carol, ids.dave],
        },
        {
          attributeName: "umbrella.destination.private_resource_ids",
          attributeOperator: "IN",
          attributeValue: [ids.grafana, ids.wiki],
        },
      ],
    });
    const sha = /sha=([0-9a-f]{12})/.exec(teamRule!.ruleDescription ?? "")![1]!;
    expect(teamRule!.ruleName.endsWith(sha.slice(0, 6))).toBe(true);
    expect(teamRule!.ruleSettings.map((s) => [s.settingName, s.settingValue]).sort()).toEqual([
      ["umbrella.default.traffic", "PRIVATE_NETWORK"],
      ["umbrella.logLevel", "LOG_ALL"],
    ]);
    const [aliceRule] = ruleOf(w, "payments/alice-jira");
    expect(aliceRule!.ruleDescription).toContain("exp=2026-03-02T13:00:00Z");
    expect(aliceRule!.ruleConditions.map((c) => c.attributeValue)).toEqual([[ids.alice], [ids.jira]]);
    // New rules go ahead of the default rules, which stay last.
    expect(w.emulator.state.rules.slice(-2).map((r) => r.ruleIsDefault)).toEqual([true, true]);

    const journal = await w.journal();
    expect(journal.map((e) => [e.action, e.grantId, e.outcome, e.approval])).toEqual([
      ["create", "data/carol-dave", "ok", "trust-git"],
      ["create", "payments/alice-jira", "ok", "trust-git"],
    ]);
    const head = await w.repo.head();
    expect(journal[0]).toMatchObject({
      organization: "acme",
      commit: head,
      version: head,
      ruleId: teamRule!.ruleId,
      ruleName: teamRule!.ruleName,
      expiresAt: "2026-03-02T17:00:00Z",
      time: "2026-03-02T09:01:00Z",
      users: ["dave@example.com", "carol@example.com"],
      lagSeconds: null,
    });
  });

  test("a run with a warm verification cache is a no-op: list calls + cached lookups, zero writes, zero rule GETs", async () => {
    const w = await twoGrantsApplied();
    // A verification counts once the clock is past the rule's modifiedAt by more than the vendor's timestamp
    // granularity (1 s): the next run reads each new rule once, and from then on the cache vouches for it.
    w.advance(2);
    expect((await w.cli(["apply", "--trust-git"])).code).toBe(0);
    const rulesBefore = JSON.stringify(w.emulator.state.rules);
    const countersBefore = w.emulator.counters();

    const run = await w.cli(["plan", "--trust-git", "--format", "json"]);
    expect(run.code, run.stderr).toBe(0);
    const set = JSON.parse(run.stdout) as { version: 1; plans: Array<{ steps: unknown[]; kept: unknown[] }> };
    expect(set.plans).toHaveLength(1);
    const plan = set.plans[0]!;
    expect(plan.steps).toEqual([]);
    expect(plan.kept).toHaveLength(2);
    expect(JSON.stringify(w.emulator.state.rules)).toBe(rulesBefore);

    const delta = (pattern: RegExp): number =>
      w.count(pattern) -
      Object.entries(countersBefore)
        .filter(([key]) => pattern.test(key))
        .reduce((sum, [, n]) => sum + n, 0);
    const totalRules = w.emulator.state.rules.length;
    expect(delta(/^GET \/policies\/v2\/rules 200$/)).toBe(Math.ceil(totalRules / 1000));
    expect(delta(/^GET \/policies\/v2\/rules\/\{ruleId\}/)).toBe(0);
    expect(delta(/^(POST|PUT|DELETE) \/policies\/v2\/rules/)).toBe(0);
    expect(delta(/^GET \/reports\/v2\/identities/)).toBe(3); // alice, carol, dave: once each
    expect(delta(/^GET \/policies\/v2\/privateResources/)).toBe(1); // all resources, one page, once
    expect(delta(/^POST \/auth\/v2\/token/)).toBe(1);
  });
});

describe("without --trust-git and without GitHub", () => {
  test("plan lists grants as not verified and apply creates nothing (exit 0)", async () => {
    world = await createE2eWorld({ grants: { [alicePath]: alice, [teamPath]: team } });
    const plan = await world.cli(["plan"]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain("Plan: 0 to create, 0 to delete.");
    expect(plan.stdout).toMatch(/grant payments\/alice-jira\s+unverified: approval not verified/);
    expect(plan.stdout).toContain("pass --trust-git");
    const apply = await world.cli(["apply"]);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain("applied: 0 ok, 0 failed, 0 skipped");
    expect(world.managed()).toEqual([]);
    expect(world.writes()).toBe(0);
  });

  test("deletions still happen (removed, expired); the rule of an unverified but unchanged grant is kept", async () => {
    const w = await twoGrantsApplied();
    await w.commit({ [teamPath]: null }, at(hour), "revoke carol and dave");
    w.setNow(at(hour + 60));
    const removed = await w.cli(["apply"]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(/ok\s+delete grantops-data-carol-dave-[0-9a-f]{6} \(removed\)/);
    expect(w.managed().map((r) => r.ruleName)).toEqual([
      expect.stringMatching(/^grantops-payments-alice-jira-/),
    ]);
    w.setNow(at(4 * hour + 2));
    const expired = await w.cli(["apply"]);
    expect(expired.code, expired.stderr).toBe(0);
    expect(expired.stdout).toMatch(/delete grantops-payments-alice-jira-[0-9a-f]{6} \(expired\)/);
    expect(w.managed()).toEqual([]);
  });
});

describe("changes in git and in time", () => {
  test("expiry: moving the clock past a grant's expiry deletes its rule, reason expired, with the lag", async () => {
    const w = await twoGrantsApplied();
    w.setNow(at(4 * hour + 3));
    const run = await w.cli(["apply", "--trust-git"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("grant payments/alice-jira expired at 2026-03-02T13:00:00Z");
    expect(ruleOf(w, "payments/alice-jira")).toEqual([]);
    expect(ruleOf(w, "data/carol-dave")).toHaveLength(1);
    const last = (await w.journal()).at(-1)!;
    expect(last).toMatchObject({
      action: "delete",
      reason: "expired",
      grantId: "payments/alice-jira",
      outcome: "ok",
      expiresAt: "2026-03-02T13:00:00Z",
      lagSeconds: 3,
      version: null,
    });
  });

  test("revoke: deleting the grant file in a new commit deletes its rule, reason removed", async () => {
    const w = await twoGrantsApplied();
    const commit = await w.commit({ [alicePath]: null }, at(hour), "revoke alice");
    w.setNow(at(hour + 30));
    const run = await w.cli(["apply", "--trust-git"]);
    expect(run.code, run.stderr).toBe(0);
    expect(ruleOf(w, "payments/alice-jira")).toEqual([]);
    expect(ruleOf(w, "data/carol-dave")).toHaveLength(1);
    expect((await w.journal()).at(-1)).toMatchObject({
      action: "delete",
      reason: "removed",
      grantId: "payments/alice-jira",
      commit,
      lagSeconds: null,
    });
  });

  test("policy tightened: a resource the policy now denies loses its rule at once (rejected, removed)", async () => {
    const w = await twoGrantsApplied();
    const policy = await readFile(join(packageRoot, "policy.yaml"), "utf8");
    const denyJira = policy.replace(
      "resources:\n",
      'resources:\n  - match: { name: "Jira" }\n    deny: true\n',
    );
    expect(denyJira).not.toBe(policy);
    await w.commit({ "policy.yaml": denyJira }, at(hour), "deny Jira");
    w.setNow(at(hour + 30));
    // The file now breaks the policy: validation reports it (exit 4 until it is removed), and its rule goes now.
    const plan = await w.cli(["plan", "--trust-git"]);
    expect(plan.code, plan.stderr).toBe(4);
    expect(plan.stderr).toContain("alice-jira.yaml:3:");
    expect(plan.stdout).toContain("Jira is never grantable through grantops (policy deny)");
    const run = await w.cli(["apply", "--trust-git"]);
    expect(run.code, run.stderr).toBe(4);
    expect(ruleOf(w, "payments/alice-jira")).toEqual([]);
    expect(ruleOf(w, "data/carol-dave")).toHaveLength(1);
    expect((await w.journal()).at(-1)).toMatchObject({
      action: "delete",
      reason: "removed",
      grantId: "payments/alice-jira",
    });
  });

  test("edit: a changed grant file is a new version: create the new rule, then delete the old (replaced)", async () => {
    const w = await twoGrantsApplied();
    const [old] = ruleOf(w, "payments/alice-jira");
    const edited = grantYaml({
      users: ["alice@example.com"],
      resources: ["Jira", "Wiki"],
      duration: "2h",
      reason: "E2E-2: also the wiki, for the post-mortem",
    });
    const commit = await w.commit({ [alicePath]: edited }, at(2 * hour), "alice: also the wiki");
    w.setNow(at(2 * hour + 10));
    const run = await w.cli(["apply", "--trust-git"]);
    expect(run.code, run.stderr).toBe(0);
    const createAt = run.stdout.search(/ok\s+create grantops-payments-alice-jira-/);
    const deleteAt = run.stdout.search(/ok\s+delete grantops-payments-alice-jira-[0-9a-f]{6} \(replaced\)/);
    expect(createAt).toBeGreaterThan(-1);
    expect(deleteAt).toBeGreaterThan(createAt);
    const rules = ruleOf(w, "payments/alice-jira");
    expect(rules).toHaveLength(1);
    expect(rules[0]!.ruleId).not.toBe(old!.ruleId);
    expect(rules[0]!.ruleDescription).toContain("exp=2026-03-02T13:00:00Z"); // landed 11:00 + 2h
    expect(rules[0]!.ruleConditions[1]!.attributeValue).toEqual([ids.jira, ids.wiki]);
    const journal = (await w.journal()).slice(-2);
    expect(journal.map((e) => [e.action, e.reason, e.ruleId])).toEqual([
      ["create", null, rules[0]!.ruleId],
      ["delete", "replaced", old!.ruleId],
    ]);
    expect(journal[0]!.version).toBe(commit);
  });

  test("foreign and default rules are byte-identical (apart from the vendor's renumbered priorities) after all of it", async () => {
    const w = await twoGrantsApplied();
    const foreignIds = [700001, 700002, 700003];
    const snapshot = (): string =>
      JSON.stringify(w.emulator.state.rules.filter((r) => foreignIds.includes(r.ruleId)));
    const before = snapshot();
    // every cli() run also compares them; here across a revoke, an expiry and a sync with no changes
    await w.commit({ [teamPath]: null }, at(hour), "revoke");
    w.setNow(at(hour + 5));
    expect((await w.cli(["apply", "--trust-git"])).code).toBe(0);
    w.setNow(at(5 * hour));
    expect((await w.cli(["apply", "--trust-git"])).code).toBe(0);
    expect(w.managed()).toEqual([]);
    expect((await w.cli(["apply", "--trust-git"])).code).toBe(0);
    const after = JSON.parse(snapshot()) as Array<{ rulePriority: number }>;
    const original = JSON.parse(before) as Array<{ rulePriority: number }>;
    const strip = (rules: Array<{ rulePriority: number }>) =>
      rules.map(({ rulePriority: _p, ...rest }) => rest);
    expect(strip(after)).toEqual(strip(original));
    expect(after.map((r) => r.rulePriority)).toEqual([1, 2, 3]); // back to the seed's numbering
    expect(w.count(/^PUT /)).toBe(0);
  });
});
