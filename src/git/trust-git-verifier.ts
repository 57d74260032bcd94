import type { Approval, ApprovalVerifier } from "../core/model/types.js";

/**
 * `--trust-git`: the merge on the default branch is taken as the approval, with no GitHub check. The git
 * history is then the only record of who approved (the plan says so).
 */
export class TrustGitVerifier implements ApprovalVerifier {
  verify(): Promise<Approval> {
    return Promise.resolve(TRUST_GIT_APPROVAL);
  }
}

/** The same for every version: one frozen object, not one per grant of the run. */
const TRUST_GIT_APPROVAL: Approval = Object.freeze({
  status: "approved",
  mode: "trust-git",
  approvers: Object.freeze([]) as unknown as string[],
  pr: null,
  requester: null,
});
