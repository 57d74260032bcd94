import type { ActualRule, PolicyFile } from "../core/model/types.js";
import type { SecureAccessApi } from "../core/model/secure-access-types.js";
import type { Organization } from "../core/model/generated/policy-file.js";

/** An organization's client and its rule listing, started once per run. */
export interface OrganizationListing {
  api: SecureAccessApi;
  rules: Promise<ActualRule[]>;
}

export interface EarlyListings {
  /** Starts every organization's listing of the policy (readDesiredAt's onPolicy: before the grants are read). */
  start(policy: PolicyFile): void;
  /** The organization's client and listing: the one started early, else started now; a failure to build the client is thrown here. */
  of(alias: string, organization: Organization): OrganizationListing;
}

/**
 * Lists each organization's rules while the grant files are still being read and validated (the listing waits on
 * the vendor, validation on the CPU: docs/architecture.md, "1. The pipeline"). `open` builds the client and
 * starts the listing; it runs once per organization. A failure is kept for the moment the run asks for that
 * organization, so errors surface where they did when the listing started late, and never as an unhandled rejection.
 */
export function createEarlyListings(
  open: (alias: string, organization: Organization) => OrganizationListing,
): EarlyListings {
  const opened = new Map<string, { listing: OrganizationListing } | { error: unknown }>();
  const openOnce = (alias: string, organization: Organization): void => {
    if (opened.has(alias)) return;
    try {
      const listing = open(alias, organization);
      listing.rules.catch(() => undefined); // seen by whoever awaits it; never unhandled meanwhile
      opened.set(alias, { listing });
    } catch (error) {
      opened.set(alias, { error });
    }
  };
  return {
    start(policy) {
      for (const [alias, organization] of Object.entries(policy.organizations)) openOnce(alias, organization);
    },
    of(alias, organization) {
      openOnce(alias, organization);
      const entry = opened.get(alias)!;
      if ("error" in entry) throw entry.error;
      return entry.listing;
    },
  };
}
