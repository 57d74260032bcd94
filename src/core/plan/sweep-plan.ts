// The independent revoker's plan: with only vendor credentials and no repository, delete the rules whose own
// marker says they expired, and nothing else.
import { classifyRule } from "../rule/classify-rule.js";
import { parseInstant } from "../time/instant.js";
import { plan } from "./plan.js";
import type { ActualRule, HeldGrant, Plan, PlanOptions } from "../model/types.js";

export interface SweepInput {
  organization: string;
  orgId: number;
  actual: ActualRule[];
}

/**
 * Plans a sweep: every managed rule whose marker expiry has passed is deleted ("expired"), and so is a
 * tampered rule whose marker still gives a past expiry. Live rules are held (the sweep cannot know their
 * grants), tampered live rules are left for the reconciler, and foreign rules are never touched.
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
  const nowMs = now.getTime();
  const steps = full.steps.filter(
    (step) =>
      step.kind === "delete" &&
      (step.reason === "expired" ||
        (step.reason === "tampered" &&
          step.expiresAt !== null &&
          (parseInstant(step.expiresAt) ?? Infinity) <= nowMs)),
  );
  return { ...full, steps };
}
