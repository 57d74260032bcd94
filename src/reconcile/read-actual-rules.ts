import { GrantopsError } from "../core/model/grantops-error.js";
import type { ActualRule } from "../core/model/types.js";
import type { SecureAccessApi } from "../core/model/secure-access-types.js";

/**
 * Step 2 of the reconcile loop: every rule of the organization (all pages: the client never returns a partial
 * list). Listings carry no conditions: readVerifiedRules fetches the rules whose ownership must be verified. A
 * rule of another organization aborts the run: the credentials do not match the policy.
 */
export async function readActualRules(api: SecureAccessApi, orgId: number): Promise<ActualRule[]> {
  return ofOrganization(await api.listRules(), orgId);
}

/** The rules, after checking that each one is of the organization the policy names (else ORG_MISMATCH). */
export function ofOrganization<T extends ActualRule>(summaries: T[], orgId: number): T[] {
  const strangers = summaries.filter((rule) => rule.organizationId !== orgId);
  if (strangers.length > 0) {
    const ids = [...new Set(strangers.map((rule) => rule.organizationId))].join(", ");
    throw new GrantopsError(
      "ORG_MISMATCH",
      `the API credentials read rules of organization ${ids}, but the policy says orgId ${orgId}; refusing to plan`,
    );
  }
  return summaries;
}
