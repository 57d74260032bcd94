import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { classifyRule } from "../../../src/core/rule/classify-rule.js";
import { parseInstant } from "../../../src/core/time/instant.js";
import { plan } from "../../../src/core/plan/plan.js";
import { isValidRuleName } from "../../../src/core/rule/rule-name.js";
import type { ActualRule, DesiredGrant } from "../../../src/core/model/types.js";
import {
  applyPlan,
  applySteps,
  arbScenario,
  NOW,
  OPTIONS,
  scenarioInput,
  type Scenario,
} from "../../helpers/plan-fixtures.js";

const RUNS = { numRuns: 300 };
const nowMs = NOW.getTime();

function planOf(s: Scenario) {
  return plan(scenarioInput(s), NOW, OPTIONS);
}

/** Grants that must have access now: approved, started, not expired, and listed once. */
function liveGrantIds(desired: DesiredGrant[]): Set<string> {
  const counts = new Map<string, number>();
  for (const g of desired) counts.set(g.grantId, (counts.get(g.grantId) ?? 0) + 1);
  return new Set(
    desired
      .filter((g) => counts.get(g.grantId) === 1 && g.approval.status === "approved")
      .filter((g) => (parseInstant(g.expiresAt) ?? 0) > nowMs)
      .filter((g) => g.startsAt === null || (parseInstant(g.startsAt) ?? 0) <= nowMs)
      .map((g) => g.grantId),
  );
}

/** Intact (managed, or listed only and not yet verified), unexpired rules per grant: the rules that give access. */
function accessRules(rules: ActualRule[], grantId: string): ActualRule[] {
  return rules.filter((r) => {
    const cls = classifyRule(r, OPTIONS);
    return (
      (cls.kind === "managed" || cls.kind === "unverified") &&
      cls.marker.grant === grantId &&
      (parseInstant(cls.marker.exp) ?? 0) > nowMs
    );
  });
}

function isForeign(rule: ActualRule): boolean {
  return (
    rule.ruleIsDefault ||
    (!rule.ruleName.startsWith("grantops-") && !(rule.ruleDescription ?? "").startsWith("grantops/v1"))
  );
}

describe("plan properties", () => {
  it("(a) is idempotent: after applying a plan, planning again finds nothing to do", () => {
    fc.assert(
      fc.property(arbScenario, (s) => {
        const first = planOf(s);
        const second = planOf({ ...s, actual: applyPlan(s.actual, first) });
        expect(second.steps).toEqual([]);
      }),
      RUNS,
    );
  });

  it("(b) never touches foreign or default rules", () => {
    fc.assert(
      fc.property(arbScenario, fc.array(fc.boolean()), (s, defaults) => {
        const actual = s.actual.map((r, i) => (defaults[i] ? { ...r, ruleIsDefault: true } : r));
        const foreignIds = new Set(actual.filter(isForeign).map((r) => r.ruleId));
        const result = planOf({ ...s, actual });
        for (const step of result.steps) {
          if (step.kind === "delete") expect(foreignIds.has(step.ruleId)).toBe(false);
        }
        expect(result.counts.foreign).toBe(foreignIds.size);
      }),
      RUNS,
    );
  });

  it("(c) never leaves a live approved grant without access, and deletes its rules only after a create", () => {
    fc.assert(
      fc.property(arbScenario, (s) => {
        const result = planOf(s);
        const live = liveGrantIds(s.desired);
        const states = applySteps(s.actual, result);
        for (const grantId of live) {
          // once a live grant has access, it keeps it through every later step, and it has access at the end
          let had = false;
          states.forEach((state, i) => {
            const has = accessRules(state, grantId).length > 0;
            if (had) expect(has, `${grantId} lost access at step ${i}`).toBe(true);
            had ||= has;
          });
          expect(had, `${grantId} has access after the plan`).toBe(true);
        }
        result.steps.forEach((step, i) => {
          if (step.kind !== "delete" || step.reason === "expired" || step.grantId === null) return;
          if (!live.has(step.grantId) || step.reason === "tampered" || step.reason === "unexplained") return;
          const created = result.steps
            .slice(0, i)
            .some((p) => p.kind === "create" && p.grantId === step.grantId);
          const kept = [...result.kept, ...result.unverified].some((k) => k.grantId === step.grantId);
          expect(created || kept).toBe(true);
        });
      }),
      RUNS,
    );
  });

  it("(d) is deterministic: shuffled inputs give byte-identical JSON", () => {
    const arb = arbScenario.chain((s) =>
      fc.record({
        s: fc.constant(s),
        desired: fc.shuffledSubarray(s.desired, { minLength: s.desired.length }),
        actual: fc.shuffledSubarray(s.actual, { minLength: s.actual.length }),
        held: fc.shuffledSubarray(s.held, { minLength: s.held.length }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ s, desired, actual, held }) => {
        expect(JSON.stringify(planOf({ desired, actual, held }))).toBe(JSON.stringify(planOf(s)));
      }),
      RUNS,
    );
  });

  it("(e) creates only valid, unique vendor names, free at the time of creation", () => {
    fc.assert(
      fc.property(arbScenario, (s) => {
        const result = planOf(s);
        const names = result.steps.flatMap((step) => (step.kind === "create" ? [step.rule.ruleName] : []));
        for (const name of names) expect(isValidRuleName(name)).toBe(true);
        expect(new Set(names).size).toBe(names.length);
        expect(() => applySteps(s.actual, result)).not.toThrow();
        for (const step of result.steps) {
          if (step.kind === "create") expect(step.rule.ruleDescription!.length).toBeLessThanOrEqual(256);
        }
      }),
      RUNS,
    );
  });
});
