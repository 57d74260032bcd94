import type { Approval, ApprovalVerifier } from "../core/model/types.js";

export const unverifiedApprovalReason =
  "approval not verified: configure GitHub (GRANTOPS_GITHUB_TOKEN or a GitHub App) or pass --trust-git";

/** Used when neither GitHub nor --trust-git is configured: no grant counts as approved. */
export class UnverifiedApprovalVerifier implements ApprovalVerifier {
  verify(): Promise<Approval> {
    return Promise.resolve({
      status: "unverified",
      reason: unverifiedApprovalReason,
      pr: null,
      requester: null,
    });
  }
}
