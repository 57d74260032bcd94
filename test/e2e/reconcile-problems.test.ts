// End to end: what goes wrong in the world — rules edited in the dashboard, broken grant files, unknown users.
import { afterEach, describe, expect, test } from "vitest";
import { createE2eWorld, grantYaml, ids, T0, type E2eWorld } from "../helpers/e2e-world.js";

const alicePath = "grants/payments/alice-jira.yaml";
const teamPath = "grants/data/carol-dave.yaml";
const alice = grantYaml({ users: ["alice@example.com"], resources: ["Jira"], duration: "4h" });
const team = grantYaml({
  users: ["carol@example.com", "dave@example.com"],
  resources: ["Grafana"],
  duration: "8h",
});
const at = (offsetSeconds: number): string =>
  new Date(Date.parse(T0) + offsetSeconds * 1000).toISOString().replace(/\.000Z$/, "Z");
const hour = 3600;

let world: E2eWorld;
afterEach(async () => {
  await world?.close();
});

const ruleOf = (w: E2eWorld, grantId: string) =>
  w.managed().filter((rule) => rule.ruleName.startsWith(`grantops-${grantId.replace(/\//g, "-")}-`));

/** A dashboard edit: the vendor stamps modifiedAt; a changed listing makes grantops read the rule again. */
const later = (iso: string, seconds: number): string =>
  new Date(Date.parse(iso) + seconds * 1000).toISOString();

describe("tampered rules", () => {
  async function appliedWorld(): Promise<E2eWorld> {
    world = await createE2eWorld({ grants: { [alicePath]: alice, [teamPath]: team } });
    expect((await world.cli(["apply", "--trust-git"])).code).toBe(0);
    world.advance(2); // past the timestamp granularity: this run's verifications count (warm cache)
    expect((await world.cli(["apply", "--trust-git"])).code).toBe(0);
    return world;
  }
  const ruleGets = (w: E2eWorld): number => w.count(/^GET \/policies\/v2\/rules\/\{ruleId\} 200$/);
  type Steps = { plans: Array<{ steps: Array<Record<string, unknown>> }> };

  test("edited conditions: the rule is read in full, found tampered, deleted and created again from git", async () => {
    const w = await appliedWorld();
    const [rule] = ruleOf(w, "payments/alice-jira");
    const original = structuredClone(rule!);
    rule!.ruleConditions[0]!.attributeValue = [ids.alice, ids.erin];
    rule!.modifiedAt = later(rule!.createdAt!, 5);
    const gets = ruleGets(w);

    const plan = await w.cli(["plan", "--trust-git", "--format", "json"]);
    expect(plan.code, plan.stderr).toBe(2);
    expect(ruleGets(w) - gets).toBe(1); // only the rule modified after its creation
    const steps = (JSON.parse(plan.stdout) as Steps).plans[0]!.steps;
    expect(steps.map((s) => [s.kind, s.kind === "delete" ? s.reason : null, s.grantId])).toEqual([
      ["delete", "tampered", "payments/alice-jira"],
      ["create", null, "payments/alice-jira"],
    ]);

    const apply = await w.cli(["apply", "--trust-git"]);
    expect(apply.code, apply.stderr).toBe(0);
    const [restored] = ruleOf(w, "payments/alice-jira");
    expect(restored!.ruleId).not.toBe(original.ruleId);
    expect(restored!.ruleName).toBe(original.ruleName);
    expect(restored!.ruleDescription).toBe(original.ruleDescription);
    expect(restored!.ruleConditions).toEqual(original.ruleConditions);
    expect((await w.journal()).slice(-2).map((e) => [e.action, e.reason, e.ruleId])).toEqual([
      ["delete", "tampered", original.ruleId],
      ["create", null, restored!.ruleId],
    ]);
    expect((await w.cli(["plan", "--trust-git"])).code).toBe(0);
  });

  test("an edited description makes the rule tampered (seen in the listing, no GET needed)", async () => {
    const w = await appliedWorld();
    const [rule] = ruleOf(w, "data/carol-dave");
    const original = structuredClone(rule!);
    rule!.ruleDescription = `${rule!.ruleDescription} extended by hand`;
    rule!.modifiedAt = later(rule!.createdAt!, 5);
    const apply = await w.cli(["apply", "--trust-git"]);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toMatch(/ok\s+delete grantops-data-carol-dave-[0-9a-f]{6} \(tampered\)/);
    const [restored] = ruleOf(w, "data/carol-dave");
    expect(restored!.ruleDescription).toBe(original.ruleDescription);
    expect(restored!.ruleId).not.toBe(original.ruleId);
  });

  test("tampering with most managed rules at once trips the mass-delete guard until --allow-mass-delete", async () => {
    const w = await appliedWorld();
    for (const rule of w.managed()) {
      rule.ruleIsEnabled = false;
      rule.modifiedAt = later(rule.createdAt!, 5);
    }
    const writes = w.writes();
    const refused = await w.cli(["apply", "--trust-git"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("[mass-delete]");
    expect(w.writes()).toBe(writes);
    const forced = await w.cli(["apply", "--trust-git", "--allow-mass-delete"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(w.managed().map((r) => r.ruleIsEnabled)).toEqual([true, true]);
  });
});

describe("a broken edit never revokes and never extends", () => {
  test("the rule is held until the expiry in its marker, then deleted as expired; exit 4 with file:line:col", async () => {
    world = await createE2eWorld({ grants: { [alicePath]: alice, [teamPath]: team } });
    expect((await world.cli(["apply", "--trust-git"])).code).toBe(0);
    const [rule] = ruleOf(world, "payments/alice-jira");
    const broken = ["version: 1", "users: [alice@example.com", "resources: [Jira]", "duration: 8h", ""].join(
      "\n",
    );
    await world.commit({ [alicePath]: broken }, at(hour), "alice: broken edit");
    world.setNow(at(hour + 60));

    const apply = await world.cli(["apply", "--trust-git"]);
    expect(apply.code).toBe(4);
    expect(apply.stderr).toMatch(/grants\/payments\/alice-jira\.yaml:\d+:\d+/);
    expect(apply.stdout).toMatch(
      /grant payments\/alice-jira\s+until 2026-03-02T13:00:00Z\s+\(the grant file is invalid\)/,
    );
    expect(ruleOf(world, "payments/alice-jira").map((r) => r.ruleId)).toEqual([rule!.ruleId]);
    expect(world.writes()).toBe(2); // the two creates of the first apply, nothing since

    world.setNow(at(4 * hour - 1)); // still held just before the recorded expiry (the edit asked for 8h)
    expect((await world.cli(["apply", "--trust-git"])).code).toBe(4);
    expect(ruleOf(world, "payments/alice-jira")).toHaveLength(1);

    world.setNow(at(4 * hour + 1));
    const expired = await world.cli(["apply", "--trust-git"]);
    expect(expired.code).toBe(4);
    expect(expired.stdout).toMatch(/ok\s+delete grantops-payments-alice-jira-[0-9a-f]{6} \(expired\)/);
    expect(ruleOf(world, "payments/alice-jira")).toEqual([]);
    expect(ruleOf(world, "data/carol-dave")).toHaveLength(1);
    expect((await world.journal()).at(-1)).toMatchObject({ reason: "expired", lagSeconds: 1 });
  });
});

describe("unknown users", () => {
  test("a grant naming an unknown user or resource is not created and is reported at that list item; the others are", async () => {
    const nobody = grantYaml({ users: ["alice@example.com", "nobody@example.com"], resources: ["Jira"] });
    const nowhere = [
      "version: 1",
      "users:",
      "  - alice@example.com",
      "resources:",
      "  - Jira",
      "  - Nowhere",
      'reason: "E2E-2: a resource that does not exist"',
      "duration: 4h",
      "",
    ].join("\n");
    world = await createE2eWorld({
      grants: {
        [alicePath]: alice,
        [teamPath]: team,
        "grants/ops/nobody.yaml": nobody,
        "grants/ops/nowhere.yaml": nowhere,
      },
    });
    const apply = await world.cli(["apply", "--trust-git"]);
    expect(apply.code).toBe(4);
    // users: [alice@example.com, nobody@example.com] is line 2; users[1] starts at column 28
    expect(apply.stderr).toMatch(
      /grants\/ops\/nobody\.yaml:2:28: error: user nobody@example\.com was not found/,
    );
    expect(apply.stderr).toContain("[user-not-found]");
    expect(apply.stderr).toMatch(/grants\/ops\/nowhere\.yaml:6:5: error: resource Nowhere was not found/);
    expect(world.managed().map((r) => r.ruleName.replace(/-[0-9a-f]{6}$/, ""))).toEqual([
      "grantops-data-carol-dave",
      "grantops-payments-alice-jira",
    ]);
  });
});
