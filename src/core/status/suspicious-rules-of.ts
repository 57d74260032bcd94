// The rules of a plan that need a human: suspicious rules (never written), unexplained and tampered deletes, and
// the plan's warnings (docs/plan-and-safety.md).
import type { AttentionItem } from "../model/status-report.js";
import type { Plan } from "../model/types.js";

/** Delete reasons that are the normal life of a grant; every other reason is worth a look. */
const ROUTINE_DELETES: ReadonlySet<string> = new Set(["expired", "removed", "replaced"]);

/** Warnings, suspicious rules and non-routine deletes of one plan, in plan order. */
export function suspiciousRulesOf(plan: Plan): AttentionItem[] {
  const organization = plan.organization;
  const items: AttentionItem[] = [];
  for (const rule of suspiciousListOf(plan)) {
    items.push({ organization, kind: "suspicious", ...rule });
  }
  for (const step of plan.steps) {
    if (step.kind !== "delete" || ROUTINE_DELETES.has(step.reason)) continue;
    items.push({
      organization,
      kind: step.reason,
      ruleId: step.ruleId,
      ruleName: step.ruleName,
      grantId: step.grantId,
      detail: `rule deleted: ${step.reason}`,
    });
  }
  for (const warning of plan.warnings) {
    items.push({
      organization,
      kind: "warning",
      ruleId: null,
      ruleName: null,
      grantId: null,
      detail: warning,
    });
  }
  return items;
}

/** The plan's suspicious rules (look like grantops rules, no proof grantops made them: never written). */
function suspiciousListOf(plan: Plan): Array<Omit<AttentionItem, "organization" | "kind">> {
  return plan.suspicious.map((rule) => ({
    ruleId: rule.ruleId,
    ruleName: rule.ruleName,
    grantId: rule.grantId,
    detail: rule.reason,
  }));
}
