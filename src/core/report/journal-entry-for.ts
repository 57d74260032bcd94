import type { JournalEntry } from "../model/journal-entry.js";
import type { StepOutcome } from "../model/step-outcome.js";
import type { Plan } from "../model/types.js";
import { reasonText } from "../model/reason-text.js";
import { parseInstant, toInstant } from "../time/instant.js";

/** The journal line for one applied (or skipped) step, written at `now`. */
export function journalEntryFor(plan: Plan, outcome: StepOutcome, now: Date): JournalEntry {
  const { step } = outcome;
  const base = {
    time: toInstant(now),
    organization: plan.organization,
    commit: plan.commit,
    outcome: outcome.outcome,
    ...(outcome.error === undefined ? {} : { error: outcome.error }),
  };
  if (step.kind === "create") {
    return {
      ...base,
      grantId: step.grantId,
      version: step.commit,
      ruleId: outcome.ruleId ?? null,
      ...(outcome.adopted === true ? { outcome: "adopted" as const } : {}),
      ruleName: step.rule.ruleName,
      action: "create",
      reason: null,
      expiresAt: step.expiresAt,
      lagSeconds: null,
      users: step.users,
      ...(step.groups.length > 0 ? { groups: step.groups } : {}),
      resources: step.resources,
      pr: step.pr,
      approval: step.approval.status === "approved" ? step.approval.mode : step.approval.status,
      approvers: step.approval.status === "approved" ? step.approval.approvers : [],
      breakGlass: step.breakGlass,
      requester: step.approval.requester,
      why: reasonText(step.reason),
    };
  }
  const expiredAt =
    step.reason === "expired" && step.expiresAt !== null ? parseInstant(step.expiresAt) : null;
  const lag =
    expiredAt !== null && outcome.outcome === "ok" ? Math.round(now.getTime() - expiredAt) / 1000 : null;
  return {
    ...base,
    grantId: step.grantId,
    version: null,
    ruleId: step.ruleId,
    ruleName: step.ruleName,
    action: "delete",
    reason: step.reason,
    expiresAt: step.expiresAt,
    lagSeconds: lag,
  };
}
