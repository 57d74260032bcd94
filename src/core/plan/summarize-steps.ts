// Counts of a plan's steps, for headers, guards and metrics.
import type { DeleteReason, DeleteStep, Plan, PlanStep } from "../model/types.js";

export interface StepsSummary {
  create: number;
  delete: number;
  byReason: Record<DeleteReason, number>;
}

export function summarizeSteps(steps: readonly PlanStep[]): StepsSummary {
  const summary: StepsSummary = {
    create: 0,
    delete: 0,
    byReason: { expired: 0, removed: 0, replaced: 0, tampered: 0, unexplained: 0 },
  };
  for (const step of steps) {
    if (step.kind === "create") {
      summary.create += 1;
    } else {
      summary.delete += 1;
      summary.byReason[step.reason] += 1;
    }
  }
  return summary;
}

/** Delete steps for any reason other than expiry: the ones the guards count. */
export function nonExpiryDeletes(plan: Plan): DeleteStep[] {
  return plan.steps.filter((s): s is DeleteStep => s.kind === "delete" && s.reason !== "expired");
}
