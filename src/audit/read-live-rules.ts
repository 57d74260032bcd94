// `audit --live`: the rules grantops owns in each organization now (managed, or tampered with a readable
// marker). For a rule the journal does not know, its conditions are fetched and named, so the interval built
// from it still says who and what.
import { classifyRule, NO_FACTS } from "../core/rule/classify-rule.js";
import { normalizeInstant } from "../core/time/instant.js";
import { readActualRules } from "../reconcile/read-actual-rules.js";
import { compareText } from "../core/model/compare-text.js";
import type { LiveRule } from "../core/audit/audit-types.js";
import type { Organization } from "../core/model/generated/policy-file.js";
import type { ActualRule } from "../core/model/types.js";
import type { RuleCondition, SecureAccessApi } from "../core/model/secure-access-types.js";

export interface ReadLiveRulesInput {
  organizations: Record<string, Organization>;
  apiFor: (alias: string, organization: Organization) => SecureAccessApi;
  rulePrefix: string;
  /** "<organization>\0<ruleId>" of rules the journal knows: their conditions are not fetched. */
  known: ReadonlySet<string>;
}

export interface LiveRules {
  rules: LiveRule[];
  /** The organizations whose rules were listed. */
  checked: string[];
}

export async function readLiveRules(input: ReadLiveRulesInput): Promise<LiveRules> {
  const rules: LiveRule[] = [];
  const aliases = Object.keys(input.organizations).sort(compareText);
  for (const alias of aliases) {
    const organization = input.organizations[alias]!;
    const api = input.apiFor(alias, organization);
    const actual = await readActualRules(api, organization.orgId);
    for (const rule of actual) {
      const live = await liveRule(alias, rule, api, input);
      if (live !== null) rules.push(live);
    }
  }
  return { rules, checked: aliases };
}

async function liveRule(
  alias: string,
  rule: ActualRule,
  api: SecureAccessApi,
  input: ReadLiveRulesInput,
): Promise<LiveRule | null> {
  const recorded = input.known.has(`${alias}\0${rule.ruleId}`);
  const listed = classifyRule(rule, { rulePrefix: input.rulePrefix }, { ...NO_FACTS, recorded });
  if (listed.kind === "foreign" || listed.marker === null) return null;
  const full = recorded ? rule : { ...rule, ...(await api.getRule(rule.ruleId)) };
  const cls = recorded ? listed : classifyRule(full, { rulePrefix: input.rulePrefix }, NO_FACTS);
  if (cls.kind === "foreign" || cls.marker === null) return null;
  const named = recorded
    ? { users: [], groups: [], resources: [] }
    : await nameConditions(api, full.ruleConditions ?? []);
  return {
    organization: alias,
    ruleId: rule.ruleId,
    ruleName: rule.ruleName,
    createdAt: rule.createdAt === undefined ? null : normalizeInstant(rule.createdAt),
    grantId: cls.marker.grant,
    expiresAt: cls.marker.exp,
    pr: cls.marker.pr,
    tampered: cls.kind === "tampered" || cls.kind === "unexplained",
    suspicious: cls.kind === "suspicious",
    ...named,
  };
}

async function nameConditions(
  api: SecureAccessApi,
  conditions: RuleCondition[],
): Promise<{ users: string[]; groups: string[]; resources: string[] }> {
  const ids = (name: string): number[] => {
    const value = conditions.find((condition) => condition.attributeName === name)?.attributeValue;
    return Array.isArray(value) ? value : [];
  };
  const identities = await Promise.all(
    ids("umbrella.source.identity_ids").map((id) =>
      api.getIdentity(id).then(
        (identity) => ({ label: identity.label, group: identity.type.type === "directory_group" }),
        () => ({ label: `id:${id}`, group: false }),
      ),
    ),
  );
  const users = identities.filter((identity) => !identity.group).map((identity) => identity.label);
  const groups = identities.filter((identity) => identity.group).map((identity) => identity.label);
  const resources = await Promise.all(
    ids("umbrella.destination.private_resource_ids").map((id) =>
      api.getPrivateResource(id).then(
        (resource) => resource.name,
        () => `id:${id}`,
      ),
    ),
  );
  return { users, groups, resources };
}
