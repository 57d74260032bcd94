// The rules of a plan that need a human: the place where suspicious and unexplained rules enter the status.
// Issue 10 adds `plan.suspicious` and the delete reason "unexplained"; this reads them generically (any array
// named `suspicious` on the plan, any delete reason that is not routine) so the status shows them as they come.
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

type RuleFields = Omit<AttentionItem, "organization" | "kind">;

/** `plan.suspicious` when the plan carries it: entries with whatever of ruleId/ruleName/grantId/reason they have. */
function suspiciousListOf(plan: Plan): RuleFields[] {
  const list = (plan as unknown as Record<string, unknown>)["suspicious"];
  if (!Array.isArray(list)) return [];
  return list.map((entry: unknown) => {
    const fields = typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>) : {};
    const text = (key: string): string | null => (typeof fields[key] === "string" ? fields[key] : null);
    return {
      ruleId: typeof fields["ruleId"] === "number" ? fields["ruleId"] : null,
      ruleName: text("ruleName"),
      grantId: text("grantId"),
      detail: text("reason") ?? text("detail") ?? "suspicious rule",
    };
  });
}
