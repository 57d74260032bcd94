import type { PlanStep } from "./types.js";

/** What became of one plan step when it was applied (src/reconcile/apply-plan.ts). */
export interface StepOutcome {
  step: PlanStep;
  outcome: "ok" | "failed" | "skipped";
  /** The created rule's id (or the id of the identical rule found under its name), or the deleted rule's. */
  ruleId?: number;
  error?: { code: string; message: string };
  /** A create whose rule already existed with this content (made by another writer): journaled as `adopted`. */
  adopted?: true;
}
