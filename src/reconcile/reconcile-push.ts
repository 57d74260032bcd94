// Applying a push's plan (docs/serve-and-workflows.md, "A push costs what it changes"): the merged plan of each
// organization is applied like a full one (its steps are the push's; the revocation reserve sees every rule of the
// view), between the two publishes of the journal.
import { applyIfAllowed, publishing, type ReconcileDeps } from "./reconcile.js";
import { ownershipOf } from "./plan-run.js";
import { planPush, type PushBase, type PushPlan } from "./plan-push.js";
import { summarizeRun } from "./summarize-run.js";
import type { OrganizationRun, RunRecord } from "./run-record.js";
import type { ReconcileOptions } from "./reconcile.js";

export type PushRun =
  | Extract<PushPlan, { kind: "full" }>
  | { kind: "partial"; record: RunRecord; grantIds: string[]; commits: number };

/** Plans the push since `base` and applies it, or answers why a full reconcile must run instead (nothing written). */
export async function reconcilePush(
  options: ReconcileOptions,
  deps: ReconcileDeps,
  base: PushBase | null,
): Promise<PushRun> {
  const ownership = await ownershipOf(deps);
  const pushed = await planPush(options, { ...deps, ownership }, base);
  if (pushed.kind === "full") return pushed;
  const record = await publishing(deps, async () => {
    const organizations: OrganizationRun[] = [];
    for (const org of pushed.organizations) {
      organizations.push({ ...org.planned, applied: await applyIfAllowed(org.planned, org.api, deps) });
    }
    await ownership.save();
    return summarizeRun(pushed.state, pushed.problems, organizations, true);
  });
  return { kind: "partial", record, grantIds: pushed.grantIds, commits: pushed.commits };
}
