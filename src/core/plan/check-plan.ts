// Safety guards (docs/architecture.md, invariants; docs/plan-and-safety.md, guards): refuse plans that would delete too much, or everything, unless told to.
// Deletions because a rule's own expiry passed are always allowed: revoking on time is the point.
import { nonExpiryDeletes } from "./summarize-steps.js";
import type { DeleteStep, Plan, PlanCheck, PlanLimits } from "../model/types.js";

export const DEFAULT_MAX_DELETES = 25;

export function checkPlan(plan: Plan, limits: PlanLimits): PlanCheck {
  const deletes = nonExpiryDeletes(plan);
  if (deletes.length === 0) return { ok: true };
  if (!limits.allowEmpty && desiredSetIsEmpty(plan)) {
    return {
      ok: false,
      code: "empty-desired",
      message:
        `refusing to apply the plan for ${plan.organization}: the desired set is empty (no grant to create, keep, ` +
        `hold, start later or approve) but the plan would delete ${describe(deletes)}. ` +
        `If every grant really was removed, pass --allow-empty.`,
    };
  }
  // Tampered rules are ours too: a plan deleting most of what grantops owns is suspicious whatever the reason
  // (a vendor-side change that made every rule look tampered would otherwise recreate them all).
  const owned = plan.counts.managed + plan.counts.tampered + plan.counts.unexplained;
  const overMax = deletes.length > limits.maxDeletes;
  const overHalf = deletes.length >= 2 && deletes.length > owned / 2;
  if (!limits.allowMassDelete && (overMax || overHalf)) {
    const why = overMax
      ? `more than the limit of ${limits.maxDeletes}`
      : `more than half of the ${owned} rules grantops owns`;
    return {
      ok: false,
      code: "mass-delete",
      message:
        `refusing to apply the plan for ${plan.organization}: it would delete ${describe(deletes)}, ${why} ` +
        `(expired rules not counted). If this is intended, pass --allow-mass-delete.`,
    };
  }
  return { ok: true };
}

function desiredSetIsEmpty(plan: Plan): boolean {
  const creates = plan.steps.some((s) => s.kind === "create");
  return (
    !creates &&
    plan.kept.length === 0 &&
    plan.held.length === 0 &&
    plan.pending.length === 0 &&
    plan.unapproved.length === 0
  );
}

function describe(deletes: DeleteStep[]): string {
  const list = deletes.map((d) => `${d.ruleName} (rule ${d.ruleId}, ${d.reason})`).join(", ");
  return `${deletes.length} rule${deletes.length === 1 ? "" : "s"}: ${list}`;
}
