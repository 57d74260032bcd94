import { describe, expect, it } from "vitest";
import { checkPlan, DEFAULT_MAX_DELETES } from "../../../src/core/plan/check-plan.js";
import type { DeleteReason, DeleteStep, Plan, PlanLimits } from "../../../src/core/model/types.js";

const limits: PlanLimits = { maxDeletes: DEFAULT_MAX_DELETES, allowMassDelete: false, allowEmpty: false };

function del(ruleId: number, reason: DeleteReason): DeleteStep {
  return {
    kind: "delete",
    ruleId,
    ruleName: `grantops-g${ruleId}-abcdef`,
    grantId: `g${ruleId}`,
    reason,
    expiresAt: null,
  };
}

function kept(n: number): Plan["kept"] {
  return Array.from({ length: n }, (_, i) => ({
    ruleId: 1000 + i,
    ruleName: `grantops-k${i}-abcdef`,
    grantId: `k${i}`,
    expiresAt: "2026-11-26T18:00:00Z",
  }));
}

function planWith(deletes: DeleteStep[], keptCount: number, managed: number): Plan {
  return {
    version: 1,
    organization: "acme",
    orgId: 1,
    at: "2026-11-26T10:00:00Z",
    commit: null,
    steps: deletes,
    kept: kept(keptCount),
    pending: [],
    unapproved: [],
    held: [],
    suspicious: [],
    unverified: [],
    counts: { managed, tampered: 0, unexplained: 0, unverified: 0, suspicious: 0, foreign: 0 },
    warnings: [],
    nextWakeAt: null,
  };
}

const many = (n: number, reason: DeleteReason) => Array.from({ length: n }, (_, i) => del(i + 1, reason));

describe("checkPlan", () => {
  it.each<[string, Plan, Partial<PlanLimits>, string | null]>([
    ["no steps", planWith([], 3, 3), {}, null],
    ["expiry deletes are always allowed, even all of them", planWith(many(40, "expired"), 0, 40), {}, null],
    ["one revoke of two grants", planWith([del(1, "removed")], 1, 2), {}, null],
    ["one revoke of one grant leaving others desired", planWith([del(1, "removed")], 1, 1), {}, null],
    ["two of three managed (more than half)", planWith(many(2, "removed"), 1, 3), {}, "mass-delete"],
    ["two of four managed (exactly half)", planWith(many(2, "removed"), 2, 4), {}, null],
    ["more than maxDeletes", planWith(many(26, "replaced"), 100, 200), {}, "mass-delete"],
    ["exactly maxDeletes", planWith(many(25, "replaced"), 100, 200), {}, null],
    ["custom maxDeletes", planWith(many(3, "removed"), 10, 20), { maxDeletes: 2 }, "mass-delete"],
    ["mass delete allowed", planWith(many(26, "removed"), 100, 200), { allowMassDelete: true }, null],
    ["empty desired deleting a rule", planWith([del(1, "removed")], 0, 1), {}, "empty-desired"],
    ["empty desired allowed", planWith([del(1, "removed")], 0, 1), { allowEmpty: true }, null],
    ["empty desired with only expiries", planWith([del(1, "expired")], 0, 1), {}, null],
    [
      "empty allowed but still mass",
      planWith(many(3, "tampered"), 0, 3),
      { allowEmpty: true },
      "mass-delete",
    ],
    ["both allowed", planWith(many(3, "tampered"), 0, 3), { allowEmpty: true, allowMassDelete: true }, null],
  ])("%s", (_label, p, overrides, code) => {
    const result = checkPlan(p, { ...limits, ...overrides });
    if (code === null) expect(result).toEqual({ ok: true });
    else expect(result).toMatchObject({ ok: false, code });
  });

  it("counts tampered rules among the rules grantops owns", () => {
    const p = planWith(many(2, "tampered"), 2, 2);
    expect(
      checkPlan(
        {
          ...p,
          counts: { managed: 2, tampered: 2, unexplained: 0, unverified: 0, suspicious: 0, foreign: 0 },
        },
        limits,
      ),
    ).toEqual({
      ok: true,
    });
    expect(
      checkPlan(
        {
          ...p,
          counts: { managed: 0, tampered: 2, unexplained: 0, unverified: 0, suspicious: 0, foreign: 0 },
        },
        limits,
      ),
    ).toMatchObject({
      ok: false,
      code: "mass-delete",
      message: expect.stringContaining("more than half of the 2 rules grantops owns") as unknown,
    });
  });

  it("counts held, pending and unapproved grants as a non-empty desired set", () => {
    const base = planWith([del(1, "removed")], 0, 4);
    const held = {
      ...base,
      held: [
        {
          grantId: "h",
          ruleId: 9,
          ruleName: "grantops-h-abcdef",
          expiresAt: "2026-11-26T18:00:00Z",
          reason: "invalid",
        },
      ],
    };
    const pending = {
      ...base,
      pending: [{ grantId: "p", startsAt: "2026-11-26T11:00:00Z", expiresAt: "2026-11-26T18:00:00Z" }],
    };
    const unapproved = {
      ...base,
      unapproved: [{ grantId: "u", status: "unverified" as const, reason: "x", pr: null }],
    };
    for (const p of [held, pending, unapproved]) expect(checkPlan(p, limits)).toEqual({ ok: true });
  });

  it("says what would be deleted and which flag overrides", () => {
    const mass = checkPlan(
      planWith([del(1, "removed"), del(2, "tampered"), del(3, "expired")], 1, 3),
      limits,
    );
    expect(mass.ok).toBe(false);
    if (!mass.ok) {
      expect(mass.message).toContain(
        "2 rules: grantops-g1-abcdef (rule 1, removed), grantops-g2-abcdef (rule 2, tampered)",
      );
      expect(mass.message).not.toContain("grantops-g3");
      expect(mass.message).toContain("more than half of the 3 rules grantops owns");
      expect(mass.message).toContain("--allow-mass-delete");
    }
    const empty = checkPlan(planWith([del(1, "removed")], 0, 1), limits);
    expect(empty.ok === false && empty.message).toMatch(
      /desired set is empty.*1 rule: grantops-g1-abcdef.*--allow-empty/,
    );
  });
});
