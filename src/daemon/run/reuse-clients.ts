import type { SecureAccessApi } from "../../core/model/secure-access-types.js";
import type { Organization } from "../../core/model/generated/policy-file.js";

type ApiFactory = (alias: string, organization: Organization) => SecureAccessApi;

/** How long serve keeps one Secure Access client (its token and lookup caches) before building a new one. */
export const CLIENT_REUSE_MS = 5 * 60 * 1000;

/**
 * Keeps one client per organization for `ttlMs`, so a busy server does not fetch a new OAuth token every run
 * (the vendor allows 20 a minute) while name lookups are still refreshed every few minutes. A changed
 * organization entry in the policy (orgId, URL, credentials alias) gets a new client at once.
 */
export function reuseClients(apiFor: ApiFactory, clock: () => Date, ttlMs = CLIENT_REUSE_MS): ApiFactory {
  const clients = new Map<string, { api: SecureAccessApi; key: string; madeAt: number }>();
  return (alias, organization) => {
    const now = clock().getTime();
    const key = JSON.stringify([
      organization.orgId,
      organization.apiBaseUrl ?? null,
      organization.credentials,
    ]);
    const held = clients.get(alias);
    if (held !== undefined && held.key === key && now - held.madeAt < ttlMs) return held.api;
    const api = apiFor(alias, organization);
    clients.set(alias, { api, key, madeAt: now });
    return api;
  };
}
