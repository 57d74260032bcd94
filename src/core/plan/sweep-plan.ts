// The independent revoker's plan: with only vendor credentials and no repository, delete the rules whose own
// marker says they expired and whose conditions it fetched and found matching that marker, and nothing else.
import { classifyRule } from "../rule/classify-rule.js";
import { compareText } from "../model/compare-text.js";
import { plan } from "./plan.js";
import type { ActualRule, HeldGrant, Plan, PlanOptions } from "../model/types.js";

export interface SweepInput {
  organization: string;
  orgId: number;
  actual: ActualRule[];
}

/**
 * Plans a sweep: a rule is deleted ("expired") only when its marker's expiry has passed, its full conditions
 * (fetched by the shell) hash to the marker's sha, and it is an enabled allow rule with the name its marker
 * implies. Live rules are held (the sweep cannot know their grants); every other rule that looks like ours is
 * reported (as a warning, suspicious or unverified) and left for the reconciler; foreign rules are never touched.
 */
export function sweepPlan(input: SweepInput, now: Date, options: PlanOptions): Plan {
  const held: HeldGrant[] = [];
  for (const rule of input.actual) {
    const cls = classifyRule(rule, options);
    if (cls.kind !== "foreign" && cls.marker !== null) {
      held.push({ grantId: cls.marker.grant, reason: "sweep revokes only expired rules" });
    }
  }
  const full = plan(
    {
      organization: input.organization,
      orgId: input.orgId,
      commit: null,
      desired: [],
      held,
      actual: input.actual,
    },
    now,
    options,
  );
  const steps = full.steps.filter((step) => step.kind === "delete" && step.reason === "expired");
  const left = full.steps.filter((step) => !steps.includes(step));
  const warnings = left.map(
    (step) =>
      `sweep leaves ${step.kind === "delete" ? `rule ${step.ruleId} ${step.ruleName} (${step.reason})` : step.grantId} to the reconciler`,
  );
  return { ...full, steps, warnings: [...full.warnings, ...warnings].sort(compareText) };
}
