// The grant file's section of a pull request opened by `grantops request`, `revoke` or `extend` (the same model
// as the PR comment's, src/core/report/pull-request-comment.ts): before the merge, the rule is not named yet and
// the approval is what the policy requires; grantops' PR comment reports the live status once the PR exists.
import type { Grant, PolicyFile, Problem } from "../core/model/types.js";
import type { GrantSection } from "../core/report/pull-request-comment.js";
import { grantWindow } from "../core/time/grant-window.js";
import { toInstant } from "../core/time/instant.js";
import { policyApproval, ruleToCreate } from "../pull-request/build-pull-request-comment.js";

const NOTE = "grantops reports the approvals on this pull request";

/** A grant file added (request) or changed (extend): the rule it creates if merged now, the approval required. */
export function grantChangeSection(
  grant: Grant,
  policy: PolicyFile,
  change: "added" | "changed",
  context: { now: Date; problems: readonly Problem[] },
): GrantSection {
  const { expiresAt } = grantWindow(grant, toInstant(context.now));
  return {
    grantId: grant.id,
    file: grant.file,
    change,
    creates: [ruleToCreate(null, { expiresAt }, grant)],
    deletes: [],
    reason: grant.reason,
    valid: true,
    approval: { ...policyApproval(policy, grant), note: NOTE },
    problems: context.problems.filter((p) => p.file === grant.file),
  };
}

/** A grant file removed (revoke): its rule is deleted on merge, no approval needed. */
export function grantRemovalSection(grantId: string, file: string): GrantSection {
  return {
    grantId,
    file,
    change: "removed",
    creates: [],
    deletes: [],
    reason: null,
    valid: true,
    approval: { kind: "none" },
    problems: [],
  };
}
