// End to end, as an adversary with Secure Access admin rights (can create and edit any rule, cannot merge to the
// grants repository), against the emulator and a real git repository: the five cases of issue 10.
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { createE2eWorld, grantYaml, ids, T0, type E2eWorld } from "../helpers/e2e-world.js";
import { runCli } from "../helpers/run-cli.js";
import { createSecureAccessClient } from "../../src/secure-access/create-secure-access-client.js";
import { demoApiKey, demoApiSecret } from "../../src/emulator/default-seed.js";
import { desiredRule } from "../../src/core/rule/desired-rule.js";
import type { Rule, RuleInput, SecureAccessApi } from "../../src/core/model/secure-access-types.js";
import type { DesiredGrant } from "../../src/core/model/types.js";

const alicePath = "grants/payments/alice-jira.yaml";
const alice = grantYaml({ users: ["alice@example.com"], resources: ["Jira"], duration: "4h" });
const at = (offsetSeconds: number): string =>
  new Date(Date.parse(T0) + offsetSeconds * 1000).toISOString().replace(/\.000Z$/, "Z");
const hour = 3600;

let world: E2eWorld;
afterEach(async () => {
  await world?.close();
});

/** The admin's own API client (the dashboard does the same through the same API). */
function admin(w: E2eWorld): SecureAccessApi {
  return createSecureAccessClient({ baseUrl: w.emulator.url, apiKey: demoApiKey, apiSecret: demoApiSecret });
}

function aliceRule(w: E2eWorld): Rule {
  const [rule] = w.emulator.state.rules.filter((r) => r.ruleName.startsWith("grantops-payments-alice-jira-"));
  if (rule === undefined) throw new Error("alice's rule is missing");
  return rule;
}

/** The body of a rule as it stands, for a PUT or a copy. */
function bodyOf(rule: Rule): RuleInput & { rulePriority: number } {
  return {
    ruleName: rule.ruleName,
    ruleDescription: rule.ruleDescription ?? "",
    ruleAction: rule.ruleAction,
    rulePriority: rule.rulePriority,
    ruleIsEnabled: rule.ruleIsEnabled,
    ruleConditions: structuredClone(rule.ruleConditions),
    ruleSettings: rule.ruleSettings.map(({ settingName, settingValue }) => ({ settingName, settingValue })),
  };
}

const withMoreAccess = (body: RuleInput): RuleInput => ({
  ...body,
  ruleConditions: [
    { ...body.ruleConditions[0]!, attributeValue: [ids.alice, ids.erin] },
    { ...body.ruleConditions[1]!, attributeValue: [ids.jira, ids.prodDb, 183458 /* payroll-db: denied */] },
  ],
});

type PlanJson = {
  plans: Array<{
    steps: Array<{ kind: string; reason?: string; ruleId?: number; grantId: string | null }>;
    held: Array<{ ruleId: number; expiresAt: string }>;
    suspicious: Array<{ ruleId: number; reason: string }>;
    kept: Array<{ ruleId: number }>;
  }>;
};

async function appliedAlice(): Promise<E2eWorld> {
  world = await createE2eWorld({ grants: { [alicePath]: alice } });
  const run = await world.cli(["apply", "--trust-git"]);
  expect(run.code, run.stderr).toBe(0);
  return world;
}

describe("1. a forged rule with a copied name and marker but more access", () => {
  test("is never kept: deleted as unexplained and replaced by the rule git allows", async () => {
    const w = await appliedAlice();
    const original = structuredClone(aliceRule(w));
    // The admin deletes the real rule and creates one with the same name and marker, granting more.
    w.advance(60);
    const api = admin(w);
    await api.deleteRule(original.ruleId);
    const forged = await api.createRule(withMoreAccess(bodyOf(original)));
    expect(forged.createdAt).toBe(forged.modifiedAt); // never edited after creation: no timestamp hint
    w.advance(5);

    const plan = await w.cli(["plan", "--trust-git", "--format", "json"]);
    const steps = (JSON.parse(plan.stdout) as PlanJson).plans[0]!.steps;
    expect(steps.map((s) => [s.kind, s.kind === "delete" ? s.reason : null, s.ruleId ?? null])).toEqual([
      ["delete", "unexplained", forged.ruleId],
      ["create", null, null],
    ]);

    const apply = await w.cli(["apply", "--trust-git"]);
    expect(apply.code, apply.stderr).toBe(0);
    expect(w.emulator.state.rules.some((r) => r.ruleId === forged.ruleId)).toBe(false);
    const restored = aliceRule(w);
    expect(restored.ruleConditions).toEqual(original.ruleConditions);
    expect((await w.journal()).slice(-2).map((e) => [e.action, e.reason, e.ruleId])).toEqual([
      ["delete", "unexplained", forged.ruleId],
      ["create", null, restored.ruleId],
    ]);
  });
});

describe("2. an edit right after creation", () => {
  test("an edit 100 ms after creation, even with the same (second-precision) modifiedAt, is found by the next run 2 s later", async () => {
    world = await createE2eWorld({ grants: { [alicePath]: alice } });
    const w = world;
    w.setNow(at(120));
    expect((await w.cli(["apply", "--trust-git"])).code).toBe(0);
    const created = structuredClone(aliceRule(w));
    expect(created.createdAt).toBe(new Date(Date.parse(at(120))).toISOString());

    // A run 50 ms after the create reads the rule: it matches, but the clock is not past its modifiedAt by more
    // than the vendor's timestamp granularity, so that verification must not count.
    w.setNow(new Date(Date.parse(at(120)) + 50));
    expect((await w.cli(["apply", "--trust-git"])).code).toBe(0);

    // 100 ms after creation the admin widens the rule; a vendor with second precision stamps the same modifiedAt.
    w.setNow(new Date(Date.parse(at(120)) + 100));
    await admin(w).updateRule(
      created.ruleId,
      withMoreAccess(bodyOf(created)) as RuleInput & { rulePriority: number },
    );
    const edited = aliceRule(w);
    edited.modifiedAt = created.modifiedAt;
    expect(edited.ruleConditions).not.toEqual(created.ruleConditions);

    w.setNow(new Date(Date.parse(at(120)) + 2100));
    const apply = await w.cli(["apply", "--trust-git"]);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toMatch(/ok\s+delete grantops-payments-alice-jira-[0-9a-f]{6} \(tampered\)/);
    const restored = aliceRule(w);
    expect(restored.ruleId).not.toBe(created.ruleId);
    expect(restored.ruleConditions).toEqual(created.ruleConditions);
  });
});

describe("3. a forged hold: marker exp=2036 for a grant whose file is invalid now", () => {
  test("the forged rule is deleted as unexplained; the real one is held only until the valid version's expiry", async () => {
    const w = await appliedAlice(); // alice: 4 h from T0 (landed at T0)
    const real = structuredClone(aliceRule(w));
    const broken = ["version: 1", "users: [alice@example.com", "resources: [Jira]", "duration: 8h", ""].join(
      "\n",
    );
    await w.commit({ [alicePath]: broken }, at(hour), "alice: broken edit");
    w.setNow(at(hour + 60));
    // The admin builds a perfect-looking rule for the same grant until 2036: right name, a marker whose sha is
    // the real hash of its own conditions and expiry. Only git can say no such version existed.
    const forgedGrant: DesiredGrant = {
      grantId: "payments/alice-jira",
      organization: "acme",
      identityIds: [ids.alice],
      resourceIds: [ids.jira],
      startsAt: null,
      expiresAt: "2036-01-01T00:00:00Z",
      commit: "0".repeat(40),
      approval: { status: "approved", mode: "trust-git", approvers: [], pr: null, requester: null },
      groupIds: [],
      users: [],
      groups: [],
      resources: [],
      reason: "forged",
      breakGlass: false,
    };
    const forged = await admin(w).createRule(desiredRule(forgedGrant, { rulePrefix: "grantops-" }).rule);
    w.advance(5);

    const plan = await w.cli(["plan", "--trust-git", "--format", "json"]);
    const result = (JSON.parse(plan.stdout) as PlanJson).plans[0]!;
    expect(result.steps.map((s) => [s.reason, s.ruleId])).toEqual([["unexplained", forged.ruleId]]);
    expect(result.held).toEqual([expect.objectContaining({ ruleId: real.ruleId, expiresAt: at(4 * hour) })]);

    const apply = await w.cli(["apply", "--trust-git"]);
    expect(apply.code).toBe(4); // the broken file is still an error
    expect(w.emulator.state.rules.some((r) => r.ruleId === forged.ruleId)).toBe(false);
    expect((await w.journal()).at(-1)).toMatchObject({
      action: "delete",
      reason: "unexplained",
      ruleId: forged.ruleId,
    });

    w.setNow(at(4 * hour + 1));
    expect((await w.cli(["apply", "--trust-git"])).code).toBe(4);
    expect(w.managed()).toEqual([]);
  });

  test("a marker whose expiry was moved to 2036 on the real rule is tampered (the hash no longer matches)", async () => {
    world = await createE2eWorld({
      grants: {
        [alicePath]: alice,
        "grants/data/carol.yaml": grantYaml({ users: ["carol@example.com"], resources: ["Grafana"] }),
      },
    });
    const w = world;
    expect((await w.cli(["apply", "--trust-git"])).code).toBe(0);
    const real = aliceRule(w);
    await w.commit({ [alicePath]: "version: 1\nusers: [\n" }, at(hour), "alice: broken edit");
    w.setNow(at(hour + 60));
    await admin(w).updateRule(real.ruleId, {
      ...bodyOf(real),
      ruleDescription: real.ruleDescription!.replace(/exp=\S+/, "exp=2036-01-01T00:00:00Z"),
    });
    w.advance(5);
    const apply = await w.cli(["apply", "--trust-git"]);
    expect(apply.code).toBe(4);
    expect(apply.stdout).toMatch(/ok\s+delete grantops-payments-alice-jira-[0-9a-f]{6} \(tampered\)/);
    expect(w.managed().map((r) => r.ruleName)).toEqual([expect.stringMatching(/^grantops-data-carol-/)]);
  });
});

describe("4. rules that only look like grantops'", () => {
  test("prefix-only, marker-only and an expired-looking block rule are reported as suspicious and never written", async () => {
    const w = await appliedAlice();
    const api = admin(w);
    const template = bodyOf(aliceRule(w));
    const prefixOnly = await api.createRule({
      ...template,
      ruleName: "grantops-contractors-vpn",
      ruleDescription: "made by hand",
    });
    const markerOnly = await api.createRule({
      ...template,
      ruleName: "Contractors to Wiki",
      ruleDescription: "grantops/v1 exp=2026-03-01T00:00:00Z sha=0123456789ab grant=contractors/wiki pr=-",
    });
    const blockRule = await api.createRule({
      ...template,
      ruleName: "grantops-block-legacy",
      ruleAction: "block",
      ruleDescription: "grantops/v1 exp=2026-03-01T00:00:00Z sha=0123456789ab grant=legacy/block pr=-",
    });
    const theirs = [prefixOnly, markerOnly, blockRule].map((r) => r.ruleId);
    const snapshot = (): string =>
      JSON.stringify(
        w.emulator.state.rules
          .filter((r) => theirs.includes(r.ruleId))
          .map(({ rulePriority: _p, ...rest }) => rest),
      );
    const before = snapshot();
    w.advance(5);

    const plan = await w.cli(["plan", "--trust-git", "--format", "json"]);
    expect(plan.code, plan.stderr).toBe(0);
    const result = (JSON.parse(plan.stdout) as PlanJson).plans[0]!;
    expect(result.steps).toEqual([]);
    expect(result.suspicious.map((s) => s.ruleId).sort()).toEqual([...theirs].sort());
    const text = await w.cli(["plan", "--trust-git"]);
    expect(text.stdout).toContain("Suspicious");

    const apply = await w.cli(["apply", "--trust-git"]);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain("applied: 0 ok, 0 failed, 0 skipped");
    const sweep = await w.cli(["sweep", "--org-id", "8094936", "--credentials", "ACME"]);
    expect(sweep.code, sweep.stderr).toBe(0);
    expect(sweep.stdout).toContain("applied: 0 ok, 0 failed, 0 skipped");
    expect(snapshot()).toBe(before);
  });
});

describe("5. no silent loss of the record", () => {
  test.each([
    ["/dev/full (a full disk)", () => "/dev/full"],
    ["a directory", (w: E2eWorld) => w.home],
  ])("apply --journal %s is refused before any write (exit 4)", async (_label, path) => {
    world = await createE2eWorld({ grants: { [alicePath]: alice } });
    const run = await world.cli(["apply", "--trust-git", "--journal", path(world)]);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/cannot write the journal .*\[record-unwritable\]/);
    expect(world.writes()).toBe(0);
  });

  test("sweep --journal /dev/full is refused before any write (exit 4)", async () => {
    const w = await appliedAlice();
    w.setNow(at(4 * hour + 1));
    const run = await w.cli([
      "sweep",
      "--org-id",
      "8094936",
      "--credentials",
      "ACME",
      "--journal",
      "/dev/full",
    ]);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain("[record-unwritable]");
    expect(w.managed()).toHaveLength(1);
  });

  test("a state file that cannot be written is refused before any write (exit 4)", async () => {
    world = await createE2eWorld({ grants: { [alicePath]: alice } });
    await mkdir(join(world.home, "state-dir"));
    const run = await world.cli(["apply", "--trust-git", "--state", join(world.home, "state-dir")]);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/cannot write the state file/);
    expect(world.writes()).toBe(0);
  });

  test("a journal write failing after the vendor write: exit 5, naming the step that has no record", async () => {
    world = await createE2eWorld({ grants: { [alicePath]: alice } });
    const w = world;
    // The disk goes away between the check and the create: the journal path becomes a directory.
    const breakJournal: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (
        init?.method === "POST" &&
        (input instanceof Request ? input.url : input.toString()).endsWith("/policies/v2/rules")
      ) {
        await rm(w.journalPath, { force: true });
        await mkdir(w.journalPath, { recursive: true });
      }
      return response;
    };
    const run = await runCli(["apply", "--trust-git"], {
      env: w.env,
      cwd: w.home,
      clock: () => w.now(),
      fetch: breakJournal,
    });
    expect(run.code).toBe(5);
    expect(run.stdout).toMatch(
      /NOT RECORDED in the journal: create grantops-payments-alice-jira-[0-9a-f]{6} \(rule \d+, ok\)/,
    );
    expect(w.managed()).toHaveLength(1);
  });
});
