import { describe, expect, it } from "vitest";
import { plan } from "../../../src/core/plan/plan.js";
import { mergePushPlan, settlePlan } from "../../../src/core/plan/merge-push-plan.js";
import { grant, hoursFromNow, managedRule, NOW, OPTIONS, planInput } from "../../helpers/plan-fixtures.js";

const x = grant({ grantId: "team/x", expiresAt: hoursFromNow(6) });
const y = grant({ grantId: "team/y", resourceIds: [183460], expiresAt: hoursFromNow(2) });
const x2 = { ...x, expiresAt: hoursFromNow(1) };

describe("mergePushPlan", () => {
  it("keeps the view's entries of unchanged grants and takes the push's for the changed ones", () => {
    const view = plan(
      planInput({ desired: [x, y], actual: [managedRule(x, 1), managedRule(y, 2)] }),
      NOW,
      OPTIONS,
    );
    // The push changed x (a new version): its plan sees only x and x's rule.
    const partial = plan(planInput({ desired: [x2], actual: [managedRule(x, 1)] }), NOW, OPTIONS);
    const merged = mergePushPlan(view, partial, new Set(["team/x"]));
    expect(merged.steps).toEqual(partial.steps);
    expect(merged.steps.map((s) => s.kind)).toEqual(["create", "delete"]);
    expect(merged.kept.map((k) => k.ruleId)).toEqual([2]);
    expect(merged.counts).toEqual(view.counts);
    // The new version expires first: the wake-up is the earliest of the merged entries.
    expect(merged.nextWakeAt).toBe(hoursFromNow(1));
  });

  it("never moves a wake-up later: an unchanged grant's expiry stays", () => {
    const view = plan(
      planInput({ desired: [x, y], actual: [managedRule(x, 1), managedRule(y, 2)] }),
      NOW,
      OPTIONS,
    );
    const partial = plan(planInput({ desired: [x], actual: [managedRule(x, 1)] }), NOW, OPTIONS);
    expect(partial.nextWakeAt).toBe(hoursFromNow(6));
    expect(mergePushPlan(view, partial, new Set(["team/x"])).nextWakeAt).toBe(hoursFromNow(2));
  });
});

describe("settlePlan", () => {
  it("turns created rules into kept ones and drops deleted rules and every step", () => {
    const before = plan(
      planInput({ desired: [x2, y], actual: [managedRule(x, 1), managedRule(y, 2)] }),
      NOW,
      OPTIONS,
    );
    const [create, replaced] = before.steps;
    expect(create?.kind).toBe("create");
    expect(replaced?.kind).toBe("delete");
    const settled = settlePlan(before, [
      { step: create!, outcome: "ok", ruleId: 9 },
      { step: replaced!, outcome: "ok", ruleId: 1 },
    ]);
    expect(settled.steps).toEqual([]);
    expect(settled.kept.map((k) => [k.grantId, k.ruleId])).toEqual([
      ["team/x", 9],
      ["team/y", 2],
    ]);
  });

  it("keeps nothing for a create that failed", () => {
    const before = plan(planInput({ desired: [x] }), NOW, OPTIONS);
    const settled = settlePlan(before, [{ step: before.steps[0]!, outcome: "failed" }]);
    expect(settled.kept).toEqual([]);
  });
});
