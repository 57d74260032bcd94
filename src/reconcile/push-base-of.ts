import { settlePlan } from "../core/plan/merge-push-plan.js";
import type { OrganizationView, PushBase } from "./plan-push.js";
import type { RunRecord } from "./run-record.js";

/**
 * What the next push plans from (docs/serve-and-workflows.md, "A push costs what it changes"): the run's commit
 * and each organization's plan as applying it left the rules, only when the run converged (every organization
 * applied, no failed step, every journal line written); otherwise null, and the next push is a full reconcile.
 */
export function pushBaseOf(result: RunRecord): PushBase | null {
  const converged = result.organizations.every(
    (org) => org.applied !== null && org.applied.failed === 0 && org.applied.journalErrors === 0,
  );
  if (!converged) return null;
  const views = new Map<string, OrganizationView>(
    result.organizations.map((org) => [
      org.plan.organization,
      { plan: settlePlan(org.plan, org.applied?.outcomes ?? []), approvals: org.approvals },
    ]),
  );
  return { commit: result.commit, views };
}
