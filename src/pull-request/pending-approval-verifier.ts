import type { Approval, ApprovalVerifier, Plan, ResolvedVersion } from "../core/model/types.js";

export interface PendingApprovals {
  verifier: ApprovalVerifier;
  /** Ids of the grants the pull request brings (their approval is pending). */
  pending: Set<string>;
  /** Those grant versions, resolved, by grant id (for the live approval status of the PR comment). */
  versions: Map<string, ResolvedVersion>;
}

/**
 * For a pull request's plan: a grant version the PR brings cannot be approved yet (its reviews are only counted
 * once it is merged), so it is planned as if approved (to show what merging would do) and remembered as
 * pending; every other grant is verified by `inner`, as a reconcile of the base would.
 */
export function pendingApprovalVerifier(
  inner: ApprovalVerifier,
  broughtByPullRequest: (version: ResolvedVersion) => boolean,
  pullNumber: number,
): PendingApprovals {
  const pending = new Set<string>();
  const versions = new Map<string, ResolvedVersion>();
  return {
    pending,
    versions,
    verifier: {
      verify(version, policy) {
        if (!broughtByPullRequest(version)) return inner.verify(version, policy);
        pending.add(version.grant.id);
        versions.set(version.grant.id, version);
        return Promise.resolve({
          status: "approved",
          mode: "review",
          approvers: [],
          pr: pullNumber,
          requester: null,
        });
      },
    },
  };
}

/** The approval a pending create step shows in the PR comment. */
export function pendingApproval(pullNumber: number): Approval {
  return {
    status: "unverified",
    reason: "pending: the approvals are verified when the pull request is merged",
    pr: pullNumber,
    requester: null,
  };
}

/** The plan with the create steps of pending grants labelled as pending instead of approved. */
export function labelPending(plan: Plan, pending: ReadonlySet<string>, pullNumber: number): Plan {
  return {
    ...plan,
    steps: plan.steps.map((step) =>
      step.kind === "create" && pending.has(step.grantId)
        ? { ...step, approval: pendingApproval(pullNumber) }
        : step,
    ),
  };
}
