import type { Identity, PrivateResource, Rule } from "../core/model/secure-access-types.js";
import type { EmulatorSeed, SeedApiKey, SeedRule } from "./emulator-seed.js";
import { expandIdentityType } from "./identity-types.js";
import { normalizeRuleOrder } from "./rule-priorities.js";

/**
 * The live in-memory store of one emulated organization. Tests may read and mutate it directly (e.g. tamper
 * with a rule's conditions the way a dashboard user would). `rules` is kept in priority order; priorities are
 * renumbered 1..N (default rules last) before every rule write and list.
 */
export interface EmulatorState {
  organizationId: number;
  nextRuleId: number;
  apiKeys: SeedApiKey[];
  identities: Identity[];
  privateResources: PrivateResource[];
  rules: Rule[];
}

/** Builds a fresh state from a (validated) seed; `nowIso` stamps timestamps the seed left out. */
export function createEmulatorState(seed: EmulatorSeed, nowIso: string): EmulatorState {
  const copy = structuredClone(seed);
  const rules = copy.rules.map((rule) => seedRuleToRule(rule, copy.organizationId, nowIso));
  normalizeRuleOrder(rules);
  const maxId = rules.reduce((max, rule) => Math.max(max, rule.ruleId), 0);
  return {
    organizationId: copy.organizationId,
    nextRuleId: Math.max(copy.nextRuleId ?? 0, maxId + 1),
    apiKeys: copy.apiKeys,
    identities: copy.identities.map((identity) => ({
      id: identity.id,
      label: identity.label,
      deleted: identity.deleted ?? false,
      type: expandIdentityType(identity.type) ?? {
        id: 0,
        label: "Unknown",
        type: JSON.stringify(identity.type),
      },
    })),
    privateResources: copy.privateResources.map((resource) => ({
      ...resource,
      createdAt: resource.createdAt ?? nowIso,
      modifiedAt: resource.modifiedAt ?? nowIso,
    })),
    rules,
  };
}

/** Replaces the contents of `target` in place (callers keep their reference to the live state). */
export function replaceEmulatorState(target: EmulatorState, source: EmulatorState): void {
  Object.assign(target, source);
}

/** The state as a seed document: GET /_emulator/state and the --state file use it, and it loads back as a seed. */
export function stateToSeed(state: EmulatorState): EmulatorSeed {
  return structuredClone({
    organizationId: state.organizationId,
    nextRuleId: state.nextRuleId,
    apiKeys: state.apiKeys,
    identities: state.identities,
    privateResources: state.privateResources,
    rules: state.rules,
  });
}

function seedRuleToRule(rule: SeedRule, organizationId: number, nowIso: string): Rule {
  const createdAt = rule.createdAt ?? nowIso;
  return {
    ruleId: rule.ruleId,
    ruleName: rule.ruleName,
    ruleDescription: rule.ruleDescription ?? "",
    ruleAction: rule.ruleAction,
    rulePriority: rule.rulePriority ?? Number.MAX_SAFE_INTEGER,
    ruleIsDefault: rule.ruleIsDefault ?? false,
    ruleIsEnabled: rule.ruleIsEnabled ?? true,
    organizationId,
    modifiedBy: rule.modifiedBy ?? `org/${organizationId}/user/1`,
    createdAt,
    modifiedAt: rule.modifiedAt ?? createdAt,
    ruleConditions: rule.ruleConditions,
    ruleSettings: rule.ruleSettings.map((setting) => ({
      ...setting,
      createdAt: setting.createdAt ?? createdAt,
      modifiedAt: setting.modifiedAt ?? rule.modifiedAt ?? createdAt,
    })),
  };
}
