import { reasonText } from "../core/model/reason-text.js";
import type { StatusGrantFacts, StatusSource } from "../core/model/status-report.js";
import type { GroupRef, ResourceRef, UserRef } from "../core/model/types.js";
import type { OrganizationPlan, OrganizationRun } from "./run-record.js";
import type { VerifiedVersion } from "./verify-versions.js";

/**
 * The status input of each organization of a planned or applied run: its plan, the facts of its grant versions,
 * and (for an applied run) the creates and deletes that succeeded.
 */
export function statusSourcesOf(
  organizations: readonly (OrganizationPlan | OrganizationRun)[],
): StatusSource[] {
  return organizations.map((org) => {
    const outcomes = "applied" in org ? (org.applied?.outcomes ?? []) : [];
    const ok = outcomes.filter((o) => o.outcome === "ok");
    return {
      plan: org.plan,
      grants: org.approvals.map(grantFactsOf),
      created: ok.flatMap((o) => (o.step.kind === "create" ? [o.step.grantId] : [])),
      deleted: ok.flatMap((o) => (o.step.kind === "delete" ? [o.step.ruleId] : [])),
    };
  });
}

function grantFactsOf({ version, approval }: VerifiedVersion): StatusGrantFacts {
  const { grant } = version;
  return {
    grantId: grant.id,
    file: grant.file,
    commit: version.commit,
    users: grant.users.map((ref, i) => version.resolvedUsers[i]?.display ?? refText(ref)),
    groups: grant.groups.map((ref, i) => version.resolvedGroups[i]?.display ?? refText(ref)),
    resources: grant.resources.map((ref, i) => version.resolvedResources[i]?.name ?? refText(ref)),
    reason: reasonText(grant.reason),
    pr: approval.pr,
    breakGlass: grant.breakGlass,
    startsAt: grant.startsAt,
  };
}

function refText(ref: UserRef | GroupRef | ResourceRef): string {
  return typeof ref === "string" ? ref : `id ${ref.id}`;
}
