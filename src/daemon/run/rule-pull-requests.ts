import { parseMarker } from "../../core/rule/rule-marker.js";
import type { SecureAccessApi } from "../../core/model/secure-access-types.js";
import type { Organization } from "../../core/model/generated/policy-file.js";

type ApiFactory = (alias: string, organization: Organization) => SecureAccessApi;

export interface RulePullRequests {
  apiFor: ApiFactory;
  /** The pull request recorded in a listed rule's marker, or null. */
  prOf: (ruleId: number) => number | null;
}

/**
 * Wraps the client factory so that every rule listing also records the PR number in each managed rule's marker:
 * a delete step carries no PR, but the rule it deletes does.
 */
export function tapRulePullRequests(apiFor: ApiFactory): RulePullRequests {
  const prs = new Map<number, number>();
  return {
    prOf: (ruleId) => prs.get(ruleId) ?? null,
    apiFor(alias, organization) {
      const api = apiFor(alias, organization);
      return {
        ...api,
        async listRules() {
          const rules = await api.listRules();
          for (const rule of rules) {
            const pr = parseMarker(rule.ruleDescription)?.pr ?? null;
            if (pr !== null) prs.set(rule.ruleId, pr);
          }
          return rules;
        },
      };
    },
  };
}
