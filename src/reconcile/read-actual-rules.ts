import { needsDetail } from "../core/rule/classify-rule.js";
import { GrantopsError } from "../core/model/grantops-error.js";
import type { ActualRule, PlanOptions } from "../core/model/types.js";
import type { SecureAccessApi } from "../core/model/secure-access-types.js";

/**
 * Step 2 of the reconcile loop: every rule of the organization (all pages: the client never returns a partial
 * list), plus the full rule for each managed-looking rule that was modified after its creation (the listing has
 * no conditions). A rule of another organization aborts the run: the credentials do not match the policy.
 */
export async function readActualRules(
  api: SecureAccessApi,
  orgId: number,
  options: PlanOptions,
): Promise<ActualRule[]> {
  const summaries = await api.listRules();
  const strangers = summaries.filter((rule) => rule.organizationId !== orgId);
  if (strangers.length > 0) {
    const ids = [...new Set(strangers.map((rule) => rule.organizationId))].join(", ");
    throw new GrantopsError(
      "ORG_MISMATCH",
      `the API credentials read rules of organization ${ids}, but the policy says orgId ${orgId}; refusing to plan`,
    );
  }
  const rules: ActualRule[] = [];
  for (const summary of summaries) {
    rules.push(
      needsDetail(summary, options) ? { ...summary, ...(await api.getRule(summary.ruleId)) } : summary,
    );
  }
  return rules;
}
