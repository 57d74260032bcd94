import { describe, expect, it } from "vitest";
import { desiredRule } from "../../../src/core/rule/desired-rule.js";
import { plan } from "../../../src/core/plan/plan.js";
import type {
  ActualRule,
  DesiredGrant,
  GrantHistory,
  Plan,
  PlanStep,
} from "../../../src/core/model/types.js";
import {
  applyPlan,
  approved,
  defaultRule,
  foreignRule,
  grant,
  hoursFromNow,
  managedRule,
  NOW,
  OPTIONS,
  planInput,
  summaryOf,
  unapproved,
} from "../../helpers/plan-fixtures.js";

const alice = grant();
const aliceName = desiredRule(alice, OPTIONS).rule.ruleName;
const aliceOld = grant({ identityIds: [42], expiresAt: hoursFromNow(5) });
const bob = grant({ grantId: "ops/bob-db", identityIds: [7], resourceIds: [8], expiresAt: hoursFromNow(3) });
const gone = grant({ grantId: "ops/gone", expiresAt: hoursFromNow(2) });
const lapsed = grant({ grantId: "ops/lapsed", expiresAt: hoursFromNow(-1) });

function run(parts: Parameters<typeof planInput>[0]): Plan {
  return plan(planInput(parts), NOW, OPTIONS);
}

/** Compact view of steps: "create <grant>" or "delete <ruleId> <reason>". */
function brief(steps: PlanStep[]): string[] {
  return steps.map((s) => (s.kind === "create" ? `create ${s.grantId}` : `delete ${s.ruleId} ${s.reason}`));
}

describe("plan", () => {
  it.each<
    [
      string,
      {
        desired?: DesiredGrant[];
        actual?: ActualRule[];
        held?: { grantId: string; reason: string }[];
        evidence?: { created?: number[]; verified?: number[]; history?: GrantHistory[] };
      },
      string[],
    ]
  >([
    ["nothing to do", {}, []],
    ["creates a live approved grant's rule", { desired: [alice] }, ["create payments/alice-jira"]],
    ["keeps an intact rule (full)", { desired: [alice], actual: [managedRule(alice, 1)] }, []],
    [
      "a listing only (conditions unseen) is not created again, nor deleted",
      { desired: [alice], actual: [summaryOf(managedRule(alice, 1))] },
      [],
    ],
    ["deletes a rule whose marker expired", { actual: [managedRule(lapsed, 1)] }, ["delete 1 expired"]],
    [
      "deletes the rule of an expired grant still in the repo",
      { desired: [lapsed], actual: [managedRule(lapsed, 1)] },
      ["delete 1 expired"],
    ],
    ["deletes a removed grant's rule", { actual: [managedRule(gone, 1)] }, ["delete 1 removed"]],
    [
      "replaces: create new, then delete old",
      { desired: [alice], actual: [managedRule(aliceOld, 1)] },
      ["create payments/alice-jira", "delete 1 replaced"],
    ],
    [
      "keeps the current rule and deletes an old version's",
      { desired: [alice], actual: [managedRule(aliceOld, 1), managedRule(alice, 2)] },
      ["delete 1 replaced"],
    ],
    [
      "tampered (disabled) rule with the desired name: delete before create",
      {
        desired: [alice],
        actual: [managedRule(alice, 1, { ruleIsEnabled: false })],
        evidence: { created: [1] },
      },
      ["delete 1 tampered", "create payments/alice-jira"],
    ],
    [
      "tampered (action) rule with the desired name",
      {
        desired: [alice],
        actual: [managedRule(alice, 1, { ruleAction: "block" })],
        evidence: { created: [1] },
      },
      ["delete 1 tampered", "create payments/alice-jira"],
    ],
    [
      "tampered (conditions) rule with the desired name",
      {
        desired: [alice],
        actual: [managedRule(alice, 1, { ruleConditions: [] })],
        evidence: { created: [1] },
      },
      ["delete 1 tampered", "create payments/alice-jira"],
    ],
    [
      "tampered (renamed) rule of a live grant: delete after create",
      {
        desired: [alice],
        actual: [managedRule(alice, 1, { ruleName: "grantops-renamed" })],
        evidence: { created: [1] },
      },
      ["create payments/alice-jira", "delete 1 tampered"],
    ],
    [
      "tampered (description) rule of a removed grant",
      {
        actual: [managedRule(gone, 1, { ruleDescription: "grantops/v1 changed" })],
        evidence: { created: [1] },
      },
      ["delete 1 tampered"],
    ],
    [
      "a recorded rule of a removed grant is deleted without a GET (ownership proven by the record)",
      { actual: [summaryOf(managedRule(gone, 1))], evidence: { created: [1] } },
      ["delete 1 removed"],
    ],
    [
      "an unrecorded, unseen rule of a removed grant is neither kept nor deleted (unverified)",
      { actual: [summaryOf(managedRule(gone, 1))] },
      [],
    ],
    [
      "a cache-verified listing of a removed grant is deleted",
      { actual: [summaryOf(managedRule(gone, 1))], evidence: { verified: [1] } },
      ["delete 1 removed"],
    ],
    [
      "forged: the desired name and a live grant's marker, other conditions: unexplained, replaced",
      { desired: [alice], actual: [managedRule(alice, 1, { ruleConditions: [] })] },
      ["delete 1 unexplained", "create payments/alice-jira"],
    ],
    [
      "a suspicious rule holding a live grant's name: never written, and the grant is not created over it",
      { desired: [alice], actual: [foreignRule(1, { ruleName: aliceName, ruleDescription: "by hand" })] },
      [],
    ],
    [
      "prefix only, not recorded: suspicious, never written",
      { actual: [foreignRule(1, { ruleName: "grantops-by-hand" })] },
      [],
    ],
    [
      "marker only on another name, not recorded: suspicious, never written",
      { actual: [managedRule(gone, 1, { ruleName: "My rule" })] },
      [],
    ],
    [
      "an expired-looking block rule, not recorded: suspicious, never written",
      { actual: [managedRule(lapsed, 1, { ruleAction: "block" })] },
      [],
    ],
    [
      "a verified rule whose grant git never had: unexplained",
      {
        actual: [managedRule(gone, 1)],
        evidence: { history: [{ grant: "ops/gone", known: false, versions: [] }] },
      },
      ["delete 1 unexplained"],
    ],
    [
      "never touches foreign and default rules",
      { actual: [foreignRule(1), defaultRule(2), foreignRule(3, { ruleName: "grantops" })] },
      [],
    ],
    [
      "pending grant: no rule yet, old version removed",
      { desired: [grant({ startsAt: hoursFromNow(1) })], actual: [managedRule(aliceOld, 1)] },
      ["delete 1 removed"],
    ],
    [
      "unapproved new version: old version held, nothing created",
      { desired: [grant({ approval: unapproved() })], actual: [managedRule(aliceOld, 1)] },
      [],
    ],
    [
      "unverified current version: its rule is kept",
      { desired: [grant({ approval: unapproved("unverified") })], actual: [managedRule(alice, 1)] },
      [],
    ],
    [
      "rejected current version (e.g. the policy now denies it): its rule is removed",
      { desired: [grant({ approval: unapproved("rejected") })], actual: [managedRule(alice, 1)] },
      ["delete 1 removed"],
    ],
    [
      "rejected new version: the old version is held until its expiry, nothing created",
      { desired: [grant({ approval: unapproved("rejected") })], actual: [managedRule(aliceOld, 1)] },
      [],
    ],
    [
      "held (invalid file) grant keeps its rule",
      { held: [{ grantId: "ops/gone", reason: "file is invalid" }], actual: [managedRule(gone, 1)] },
      [],
    ],
    [
      "held grant's rule still expires",
      { held: [{ grantId: "ops/lapsed", reason: "file is invalid" }], actual: [managedRule(lapsed, 1)] },
      ["delete 1 expired"],
    ],
  ])("%s", (_label, parts, expected) => {
    expect(brief(run(parts).steps)).toEqual(expected);
  });

  it("orders steps: expired, name-freeing tampered, creates, replaced, removed, other tampered", () => {
    const actual = [
      managedRule(gone, 1),
      managedRule(aliceOld, 2),
      managedRule(lapsed, 3),
      managedRule(bob, 4, { ruleIsEnabled: false }),
      foreignRule(5),
      managedRule(grant({ grantId: "ops/other" }), 6, { ruleAction: "block" }),
      managedRule(grant({ grantId: "a/first-removed" }), 7),
    ];
    const result = run({ desired: [bob, alice], actual, evidence: { created: [4, 6] } });
    expect(brief(result.steps)).toEqual([
      "delete 3 expired",
      "delete 4 tampered",
      "create ops/bob-db",
      "create payments/alice-jira",
      "delete 2 replaced",
      "delete 7 removed",
      "delete 1 removed",
      "delete 6 tampered",
    ]);
    expect(result.counts).toEqual({
      managed: 4,
      tampered: 2,
      unexplained: 0,
      unverified: 0,
      suspicious: 0,
      foreign: 1,
    });
  });

  it("fills the create step from the grant", () => {
    const g = grant({ breakGlass: true, approval: approved(77, "break-glass") });
    const [step] = run({ desired: [g] }).steps;
    expect(step).toEqual({
      kind: "create",
      grantId: g.grantId,
      commit: g.commit,
      pr: 77,
      expiresAt: g.expiresAt,
      rule: desiredRule(g, OPTIONS).rule,
      users: g.users,
      groups: g.groups,
      resources: g.resources,
      reason: g.reason,
      breakGlass: true,
      approval: g.approval,
    });
  });

  it("fills delete steps from the marker", () => {
    const result = run({
      actual: [managedRule(lapsed, 3), foreignRule(9, { ruleName: "grantops-x" })],
      evidence: { created: [9] },
    });
    expect(result.steps).toEqual([
      {
        kind: "delete",
        ruleId: 3,
        ruleName: desiredRule(lapsed, OPTIONS).rule.ruleName,
        grantId: "ops/lapsed",
        reason: "expired",
        expiresAt: lapsed.expiresAt,
      },
      {
        kind: "delete",
        ruleId: 9,
        ruleName: "grantops-x",
        grantId: null,
        reason: "tampered",
        expiresAt: null,
      },
    ]);
  });

  it("lists kept, pending, unapproved and held entries", () => {
    const pending = grant({ grantId: "team/later", startsAt: hoursFromNow(2), expiresAt: hoursFromNow(4) });
    const waiting = grant({ approval: unapproved("rejected", 31) });
    const result = run({
      desired: [bob, pending, waiting],
      held: [{ grantId: "ops/gone", reason: "grants/ops/gone.yaml is invalid" }],
      actual: [managedRule(bob, 1), managedRule(aliceOld, 2), managedRule(gone, 3)],
    });
    expect(result.steps).toEqual([]);
    expect(result.kept).toEqual([
      {
        ruleId: 1,
        ruleName: desiredRule(bob, OPTIONS).rule.ruleName,
        grantId: bob.grantId,
        expiresAt: bob.expiresAt,
      },
    ]);
    expect(result.pending).toEqual([
      { grantId: "team/later", startsAt: pending.startsAt, expiresAt: pending.expiresAt },
    ]);
    expect(result.unapproved).toEqual([
      {
        grantId: waiting.grantId,
        status: "rejected",
        reason: "needs 1 approval from @acme/security, has 0",
        pr: 31,
      },
    ]);
    expect(result.held).toEqual([
      {
        grantId: "ops/gone",
        ruleId: 3,
        ruleName: desiredRule(gone, OPTIONS).rule.ruleName,
        expiresAt: gone.expiresAt,
        reason: "grants/ops/gone.yaml is invalid",
      },
      {
        grantId: alice.grantId,
        ruleId: 2,
        ruleName: desiredRule(aliceOld, OPTIONS).rule.ruleName,
        expiresAt: aliceOld.expiresAt,
        reason: "new version rejected",
      },
    ]);
    expect(result.nextWakeAt).toBe(hoursFromNow(2));
  });

  it.each<[string, Parameters<typeof planInput>[0], string | null]>([
    ["none", { actual: [foreignRule(1)] }, null],
    ["created rule's expiry", { desired: [alice] }, alice.expiresAt],
    ["earliest of kept and created", { desired: [alice, bob], actual: [managedRule(bob, 1)] }, bob.expiresAt],
    [
      "held rule's expiry",
      { held: [{ grantId: "ops/gone", reason: "x" }], actual: [managedRule(gone, 1)] },
      gone.expiresAt,
    ],
    ["pending start", { desired: [grant({ startsAt: hoursFromNow(1) })] }, hoursFromNow(1)],
    ["not deleted rules' expiry", { actual: [managedRule(gone, 1)] }, null],
  ])("nextWakeAt: %s", (_label, parts, expected) => {
    expect(run(parts).nextWakeAt).toBe(expected);
  });

  it("warns about expired grant files, other organizations, duplicates and empty grants", () => {
    const result = run({
      desired: [
        lapsed,
        grant({ grantId: "x/other-org", organization: "globex" }),
        alice,
        { ...alice, commit: "ffff" },
        grant({ grantId: "x/nobody", identityIds: [] }),
      ],
    });
    expect(brief(result.steps)).toEqual(["create payments/alice-jira"]);
    expect(result.warnings).toEqual([
      `grant ops/lapsed expired at ${lapsed.expiresAt}; move its file with grantops tidy`,
      "grant payments/alice-jira appears more than once; the duplicate is ignored",
      "grant x/nobody resolves to no identities or no resources; ignored",
      "grant x/other-org is for organization globex, not acme; ignored",
    ]);
  });

  it("creates exactly what a second run then keeps", () => {
    const actual = [managedRule(aliceOld, 1), managedRule(gone, 2), foreignRule(3)];
    const first = run({ desired: [alice, bob], actual });
    const second = run({ desired: [alice, bob], actual: applyPlan(actual, first) });
    expect(second.steps).toEqual([]);
    expect(second.kept.map((k) => k.ruleName).sort()).toEqual(
      [aliceName, desiredRule(bob, OPTIONS).rule.ruleName].sort(),
    );
  });

  it("uses the configured prefix and rejects an invalid one", () => {
    const result = plan(planInput({ desired: [alice] }), NOW, { rulePrefix: "jit_" });
    expect(result.steps[0]?.kind === "create" && result.steps[0].rule.ruleName).toMatch(
      /^jit_payments-alice-jira-/,
    );
    expect(() => plan(planInput({}), NOW, { rulePrefix: "bad prefix" })).toThrow(
      expect.objectContaining({ code: "rule-prefix" }),
    );
  });

  it("records organization, commit and time", () => {
    const result = run({});
    expect(result).toMatchObject({
      version: 1,
      organization: "acme",
      orgId: 8094936,
      at: "2026-11-26T10:00:00Z",
    });
    expect(result.commit).toMatch(/^feedface/);
  });
});
