// Applying a push's plan (docs/serve-and-workflows.md, "A push costs what it changes"): the merged plan of each
// organization is applied like a full one (its steps are the push's; the revocation reserve sees every rule of the
// view), between the two publishes of the journal.
import { applyIfAllowed, publishing, type ReconcileDeps } from "./reconcile.js";
import { ownershipOf } from "./plan-run.js";
import { planPush, type PushBase, type PushPlan } from "./plan-push.js";
import { summarizeRun } from "./summarize-run.js";
import type { OrganizationRun, RunRecord } from "./run-record.js";
import type { ReconcileOptions } from "./reconcile.js";
import type { Plan } from "../core/model/types.js";

export type PushRun =
  | Extract<PushPlan, { kind: "full" }>
  | {
      kind: "partial";
      record: RunRecord;
      grantIds: string[];
      commits: number;
      /** Each organization's plan of the changed grants alone (before merging into the view). */
      partials: Plan[];
    };

/** Plans the push since `base` and applies it, or answers why a full reconcile must run instead (nothing written). */
export async function reconcilePush(
  options: ReconcileOptions,
  deps: ReconcileDeps,
  base: PushBase | null,
): Promise<PushRun> {
  const ownership = await ownershipOf(deps);
  // The leftovers of an earlier run are published before planning, as a full run does: a plan is applied at once.
  let pushed: PushPlan | null = null;
  const record = await publishing(deps, async () => {
    pushed = await planPush(options, { ...deps, ownership }, base);
    if (pushed.kind === "full") return null;
    const organizations: OrganizationRun[] = [];
    for (const org of pushed.organizations) {
      organizations.push({ ...org.planned, applied: await applyIfAllowed(org.planned, org.api, deps) });
    }
    await ownership.save();
    return summarizeRun(pushed.state, pushed.problems, organizations, true);
  });
  const plan = pushed as PushPlan | null;
  if (plan === null || plan.kind === "full" || record === null) {
    return plan?.kind === "full" ? plan : { kind: "full", reason: "error", detail: "nothing planned" };
  }
  const partials = plan.organizations.map((org) => org.partial);
  return { kind: "partial", record, grantIds: plan.grantIds, commits: plan.commits, partials };
}
