import { classifyLookupFailure } from "./resolve-desired.js";
import { versionRefusal } from "../core/validate/policy-refusal.js";
import type { Approval, ApprovalVerifier, GrantVersion, PolicyFile } from "../core/model/types.js";
import type { SecureAccessApi } from "../core/model/secure-access-types.js";

export interface VerifiedVersions {
  /** The versions with their resources resolved (name and id) where the lookups succeeded. */
  versions: GrantVersion[];
  /** By grant id. */
  approvals: Map<string, Approval>;
}

/**
 * Resolves each version's resources and users (lookups are cached by the client, so id resolution later costs nothing),
 * then decides its approval: a policy refusal (deny, over the cap — against the resolved names AND ids) rejects
 * it whatever the reviews say; otherwise the verifier decides. A resource that cannot be found is left for
 * resolveDesired to report; any other lookup failure throws (the run aborts).
 */
export async function verifyVersions(
  versions: GrantVersion[],
  policy: PolicyFile,
  api: SecureAccessApi,
  verifier: ApprovalVerifier,
): Promise<VerifiedVersions> {
  const verified: GrantVersion[] = [];
  const approvals = new Map<string, Approval>();
  for (const version of versions) {
    const resources = await lookupOrNull(() => resolveResources(version, api));
    const users = await lookupOrNull(() => resolveUsers(version, api));
    const enriched: GrantVersion = {
      ...version,
      ...(resources === null ? {} : { resolvedResources: resources }),
      ...(users === null ? {} : { resolvedUsers: users }),
    };
    const refusal = versionRefusal(policy, enriched);
    approvals.set(
      version.grant.id,
      refusal === null
        ? await verifier.verify(enriched, policy)
        : { status: "rejected", reason: refusal, pr: null, requester: null },
    );
    verified.push(enriched);
  }
  return { versions: verified, approvals };
}

/** A lookup's result, or null when something was not found or ambiguous (resolveDesired reports it). */
async function lookupOrNull<T>(lookup: () => Promise<T>): Promise<T | null> {
  try {
    return await lookup();
  } catch (error) {
    if (classifyLookupFailure(error) !== null) return null;
    throw error;
  }
}

async function resolveResources(
  version: GrantVersion,
  api: SecureAccessApi,
): Promise<Array<{ name: string; id: number }>> {
  const resources = [];
  for (const ref of version.grant.resources) {
    const resource =
      typeof ref === "string" ? await api.findPrivateResource(ref) : await api.getPrivateResource(ref.id);
    resources.push({ name: resource.name, id: resource.resourceId });
  }
  return resources;
}

async function resolveUsers(version: GrantVersion, api: SecureAccessApi): Promise<string[]> {
  const labels = [];
  for (const ref of version.grant.users) {
    labels.push(
      (typeof ref === "string" ? await api.findIdentity(ref) : await api.getIdentity(ref.id)).label,
    );
  }
  return labels;
}
