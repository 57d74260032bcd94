import type { Approval, PolicyFile, ResolvedVersion } from "./types.js";

/** One approval requirement of a grant and who counted toward it so far (same counting as at apply time). */
export interface RequirementTally {
  approvals: number;
  /** "@org/team" or logins, as in the policy. */
  approvers: string[];
  /** Qualified approvers of the PR's head so far, in review order. */
  qualified: string[];
  /** Present when `approvals` is one more than the policy's because the grant names groups. */
  groupExtra?: true;
}

/** What verifying a grant of an open pull request would say if it were merged now. */
export interface LiveApproval {
  approval: Approval;
  /** Per requirement, when reviews were counted (empty for auto-approve, break-glass, refusals). */
  tallies: RequirementTally[];
}

/**
 * Verifies the grants an open pull request brings as if it were merged now: the PR's current reviews, author and
 * head (src/github). Used only for the PR comment's live status; apply time verifies again.
 */
export interface LiveApprovalChecker {
  check(version: ResolvedVersion, policy: PolicyFile): Promise<LiveApproval>;
}
