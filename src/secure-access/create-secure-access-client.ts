import type { SecureAccessApi } from "../core/model/secure-access-types.js";
import { resolveClientSettings, type SecureAccessClientOptions } from "./client-settings.js";
import { createIdentityDirectory } from "./create-identity-directory.js";
import { createResourceDirectory } from "./create-resource-directory.js";
import { createRuleOperations } from "./create-rule-operations.js";
import { createTokenProvider } from "./create-token-provider.js";
import { createVendorRequester } from "./create-vendor-requester.js";

export type { SecureAccessClientOptions } from "./client-settings.js";

/**
 * The Cisco Secure Access client (one per organization and run): token cache, paging, cached lookups,
 * serialised rule writes, p-retry on 409/429/5xx/network errors. Every method throws a VendorApiError.
 */
export function createSecureAccessClient(options: SecureAccessClientOptions): SecureAccessApi {
  const settings = resolveClientSettings(options);
  const request = createVendorRequester(settings, createTokenProvider(settings));
  const rules = createRuleOperations(request, { budget: settings.budget, signal: settings.signal });
  const identities = createIdentityDirectory(request, {
    bulkThreshold: settings.identityBulkThreshold,
    prefetch: settings.prefetchIdentities,
  });
  const groups = createIdentityDirectory(request, {
    identityType: "directory_group",
    bulkThreshold: settings.identityBulkThreshold,
    prefetch: false,
  });
  const resources = createResourceDirectory(request);
  return {
    listRules: () => rules.listRules(),
    findRulesByName: (name) => rules.findRulesByName(name),
    getRule: (ruleId) => rules.getRule(ruleId),
    createRule: (input) => rules.createRule(input),
    updateRule: (ruleId, input) => rules.updateRule(ruleId, input),
    deleteRule: (ruleId, options) => rules.deleteRule(ruleId, options),
    expectExpiries: (expiriesMs, ruleCount) => settings.budget.expectExpiries(expiriesMs, ruleCount),
    findIdentity: (label) => identities.find(label),
    getIdentity: (id) => identities.get(id),
    listIdentities: () => identities.list(),
    findGroup: (name) => groups.find(name),
    listGroups: () => groups.list(),
    findPrivateResource: (name) => resources.find(name),
    getPrivateResource: (id) => resources.get(id),
    listPrivateResources: () => resources.list(),
    expectLookups: (users, groupNames) => {
      identities.expect(users);
      groups.expect(groupNames);
    },
  };
}
