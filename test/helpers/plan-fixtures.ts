// Builders for planner tests, and a tiny simulator that applies a plan to a list of rules the way Secure Access
// would (creates get a fresh ruleId and timestamps; deletes remove).
import fc from "fast-check";
import { desiredRule } from "../../src/core/rule/desired-rule.js";
import { toInstant } from "../../src/core/time/instant.js";
import type { StatusGrantFacts } from "../../src/core/model/status-report.js";
import type {
  ActualRule,
  Approval,
  DesiredGrant,
  HeldGrant,
  OwnershipEvidence,
  Plan,
  PlanInput,
  PlanOptions,
} from "../../src/core/model/types.js";

export const NOW = new Date("2026-11-26T10:00:00Z");
export const OPTIONS: PlanOptions = { rulePrefix: "grantops-" };
export const ORG = "acme";
export const ORG_ID = 8094936;

export function hoursFromNow(hours: number, now: Date = NOW): string {
  return toInstant(now.getTime() + hours * 3_600_000);
}

export function approved(
  pr: number | null = 12,
  mode: "review" | "auto" | "break-glass" | "trust-git" = "review",
): Approval {
  return { status: "approved", mode, approvers: mode === "review" ? ["bob"] : [], pr, requester: "alice" };
}

export function unapproved(
  status: "unverified" | "rejected" = "unverified",
  pr: number | null = 13,
): Approval {
  return { status, reason: "needs 1 approval from @acme/security, has 0", pr, requester: "alice" };
}

export function grant(overrides: Partial<DesiredGrant> = {}): DesiredGrant {
  return {
    grantId: "payments/alice-jira",
    organization: ORG,
    identityIds: [1173502975],
    groupIds: [],
    resourceIds: [183456],
    startsAt: null,
    expiresAt: hoursFromNow(8),
    commit: "0123456789abcdef0123456789abcdef01234567",
    approval: approved(),
    users: ["alice@example.com"],
    groups: [],
    resources: ["Jira"],
    reason: "CHG-1234: investigate failed payments import",
    breakGlass: false,
    ...overrides,
  };
}

/** What the status and the notifier know of a grant's version (as serve reads it from the grant file). */
export function grantFacts(g: DesiredGrant): StatusGrantFacts {
  return {
    grantId: g.grantId,
    file: `grants/${g.grantId}.yaml`,
    commit: g.commit,
    users: g.users,
    groups: g.groups,
    resources: g.resources,
    reason: g.reason ?? "no reason given",
    pr: g.approval.pr,
    breakGlass: g.breakGlass,
    startsAt: g.startsAt,
  };
}

/** The full rule Secure Access would hold after creating the grant's desired rule. */
export function managedRule(
  g: DesiredGrant,
  ruleId: number,
  overrides: Partial<ActualRule> = {},
): ActualRule {
  const { rule } = desiredRule(g, OPTIONS);
  return {
    ruleId,
    ruleName: rule.ruleName,
    ruleDescription: rule.ruleDescription,
    ruleAction: rule.ruleAction,
    rulePriority: ruleId,
    ruleIsDefault: false,
    ruleIsEnabled: rule.ruleIsEnabled ?? true,
    organizationId: ORG_ID,
    createdAt: "2026-11-26T08:00:00Z",
    modifiedAt: "2026-11-26T08:00:00Z",
    ruleConditions: structuredClone(rule.ruleConditions),
    ruleSettings: rule.ruleSettings.map((s) => ({ ...s, createdAt: "2026-11-26T08:00:00Z" })),
    ...overrides,
  };
}

/** The listing's view of a rule: no conditions, no settings. */
export function summaryOf(rule: ActualRule): ActualRule {
  const { ruleConditions: _c, ruleSettings: _s, ...summary } = rule;
  return summary;
}

export function foreignRule(ruleId: number, overrides: Partial<ActualRule> = {}): ActualRule {
  return {
    ruleId,
    ruleName: `Engineering to Jira ${ruleId}`,
    ruleDescription: "hand-made by the network team",
    ruleAction: "allow",
    rulePriority: ruleId,
    ruleIsDefault: false,
    ruleIsEnabled: true,
    organizationId: ORG_ID,
    createdAt: "2025-01-01T00:00:00Z",
    modifiedAt: "2025-06-01T00:00:00Z",
    ...overrides,
  };
}

export function defaultRule(ruleId: number): ActualRule {
  return foreignRule(ruleId, {
    ruleName: "Default Private Access Rule",
    ruleAction: "block",
    ruleIsDefault: true,
  });
}

export function planInput(parts: {
  desired?: DesiredGrant[];
  actual?: ActualRule[];
  held?: HeldGrant[];
  evidence?: Partial<OwnershipEvidence>;
}): PlanInput {
  return {
    organization: ORG,
    orgId: ORG_ID,
    commit: "feedfacefeedfacefeedfacefeedfacefeedface",
    desired: parts.desired ?? [],
    held: parts.held ?? [],
    actual: parts.actual ?? [],
    ...(parts.evidence === undefined
      ? {}
      : { evidence: { verified: [], created: [], history: [], ...parts.evidence } }),
  };
}

/**
 * Applies the plan's steps one by one and returns every intermediate list of rules (index 0 = before the first
 * step, last = after the last). Creates get ids above every existing id; a create with a taken name fails (throws).
 */
export function applySteps(actual: readonly ActualRule[], plan: Plan, now: Date = NOW): ActualRule[][] {
  const states: ActualRule[][] = [[...actual]];
  let rules = [...actual];
  let nextId = Math.max(1000, ...rules.map((r) => r.ruleId)) + 1;
  const at = toInstant(now);
  for (const step of plan.steps) {
    if (step.kind === "delete") {
      rules = rules.filter((r) => r.ruleId !== step.ruleId);
    } else {
      if (rules.some((r) => r.ruleName === step.rule.ruleName))
        throw new Error(`duplicate name ${step.rule.ruleName}`);
      rules = [
        ...rules,
        {
          ...structuredClone(step.rule),
          ruleId: nextId,
          rulePriority: nextId,
          ruleIsDefault: false,
          ruleIsEnabled: step.rule.ruleIsEnabled ?? false,
          organizationId: plan.orgId,
          createdAt: at,
          modifiedAt: at,
        },
      ];
      nextId += 1;
    }
    states.push(rules);
  }
  return states;
}

export function applyPlan(actual: readonly ActualRule[], plan: Plan, now: Date = NOW): ActualRule[] {
  const states = applySteps(actual, plan, now);
  return states[states.length - 1]!;
}

// ---- fast-check arbitraries ----

const grantIds = ["team/a", "team/b", "ops/c", "ops/d-e", "payments/alice-jira", "x"];

export const arbGrant: fc.Arbitrary<DesiredGrant> = fc
  .record({
    grantId: fc.constantFrom(...grantIds),
    identityIds: fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
    resourceIds: fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
    expHours: fc.integer({ min: -3, max: 6 }),
    startHours: fc.option(fc.integer({ min: -3, max: 3 }), { nil: null }),
    approvalKind: fc.constantFrom("approved", "approved", "approved", "unverified", "rejected"),
    pr: fc.option(fc.integer({ min: 1, max: 99 }), { nil: null }),
    breakGlass: fc.boolean(),
  })
  .map((r) =>
    grant({
      grantId: r.grantId,
      identityIds: [...r.identityIds].sort((a, b) => a - b),
      resourceIds: [...r.resourceIds].sort((a, b) => a - b),
      expiresAt: hoursFromNow(r.expHours === 0 ? 1 : r.expHours),
      startsAt: r.startHours === null ? null : hoursFromNow(Math.min(r.startHours, r.expHours - 1)),
      approval:
        r.approvalKind === "approved" ? approved(r.pr) : unapproved(r.approvalKind as "unverified", r.pr),
      breakGlass: r.breakGlass,
    }),
  );

/** A rule that is not ours: names and descriptions that start with neither the prefix nor the marker. */
export const arbForeignRule: fc.Arbitrary<ActualRule> = fc
  .record({
    name: fc.stringMatching(/^[A-Za-z0-9 _-]{2,50}$/).filter((n) => !n.startsWith("grantops-")),
    description: fc.option(
      fc.string({ maxLength: 80 }).filter((d) => !d.startsWith("grantops/v1")),
      {
        nil: undefined,
      },
    ),
    isDefault: fc.boolean(),
    action: fc.constantFrom("allow" as const, "block" as const),
  })
  .map((r) =>
    foreignRule(0, {
      ruleName: r.name,
      ruleDescription: r.description,
      ruleIsDefault: r.isDefault,
      ruleAction: r.action,
    }),
  );

export type Tamper =
  "none" | "summary" | "disabled" | "block" | "conditions" | "description" | "name" | "edited";

function tamper(rule: ActualRule, how: Tamper): ActualRule {
  switch (how) {
    case "none":
      return rule;
    case "summary":
      return summaryOf(rule);
    case "disabled":
      return { ...rule, ruleIsEnabled: false };
    case "block":
      return { ...rule, ruleAction: "block" };
    case "conditions":
      return {
        ...rule,
        ruleConditions: (rule.ruleConditions ?? []).map((c) => ({ ...c, attributeValue: [999] })),
      };
    case "description":
      return { ...rule, ruleDescription: (rule.ruleDescription ?? "").replace("exp=2026", "exp=2027") };
    case "name":
      return { ...rule, ruleName: `${rule.ruleName.slice(0, 40)}x` };
    case "edited":
      return summaryOf({ ...rule, modifiedAt: "2026-11-26T09:00:00Z" });
  }
}

/** A rule that grantops made for some (possibly old or other) grant version, possibly edited since. */
export const arbOwnRule: fc.Arbitrary<ActualRule> = fc
  .record({
    g: arbGrant,
    how: fc.constantFrom<Tamper>(
      "none",
      "none",
      "none",
      "summary",
      "disabled",
      "block",
      "conditions",
      "description",
      "name",
      "edited",
    ),
  })
  .map(({ g, how }) => tamper(managedRule(g, 0), how));

export interface Scenario {
  desired: DesiredGrant[];
  held: HeldGrant[];
  actual: ActualRule[];
}

/** Desired grants plus actual rules: some created from the desired grants, others from other versions, foreign. */
export const arbScenario: fc.Arbitrary<Scenario> = fc
  .record({
    desired: fc.array(arbGrant, { maxLength: 6 }),
    reuse: fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 6 }),
    own: fc.array(arbOwnRule, { maxLength: 6 }),
    foreign: fc.array(arbForeignRule, { maxLength: 4 }),
    held: fc.uniqueArray(fc.constantFrom(...grantIds), { maxLength: 2 }),
  })
  .map(({ desired, reuse, own, foreign, held }) => {
    const fromDesired =
      desired.length === 0
        ? []
        : reuse.map(([i, full]) => {
            const rule = managedRule(desired[i % desired.length]!, 0);
            return full ? rule : summaryOf(rule);
          });
    const seen = new Set<string>();
    const actual: ActualRule[] = [];
    for (const rule of [...fromDesired, ...own, ...foreign]) {
      if (seen.has(rule.ruleName)) continue; // the vendor keeps names unique
      seen.add(rule.ruleName);
      actual.push({ ...rule, ruleId: actual.length + 1, rulePriority: actual.length + 1 });
    }
    return { desired, held: held.map((grantId) => ({ grantId, reason: "file is invalid" })), actual };
  });

export function scenarioInput(s: Scenario): PlanInput {
  return planInput(s);
}
