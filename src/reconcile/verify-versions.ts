import { versionRefusal } from "../core/validate/policy-refusal.js";
import type { Approval, ApprovalVerifier, PolicyFile, ResolvedVersion } from "../core/model/types.js";

/** A resolved grant version and its approval. */
export interface VerifiedVersion {
  version: ResolvedVersion;
  approval: Approval;
}

/**
 * The verify stage: the approval of each resolved version, in order. A policy refusal (deny, over the cap,
 * break-glass not allowed — against the resolved names AND ids) rejects it whatever the reviews say; otherwise
 * the verifier decides. Versions are verified one at a time, in order.
 */
export async function verifyVersions(
  versions: readonly ResolvedVersion[],
  policy: PolicyFile,
  verifier: ApprovalVerifier,
): Promise<VerifiedVersion[]> {
  const verified: VerifiedVersion[] = [];
  for (const version of versions) {
    const refusal = versionRefusal(policy, version);
    const approval: Approval =
      refusal === null
        ? await verifier.verify(version, policy)
        : { status: "rejected", reason: refusal, pr: null, requester: null };
    verified.push({ version, approval });
  }
  return verified;
}
