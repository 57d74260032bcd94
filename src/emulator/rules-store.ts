import type { Rule, RuleSetting, RuleSummary } from "../core/model/secure-access-types.js";
import { EmulatorApiError } from "./emulator-api-error.js";
import type { EmulatorState } from "./emulator-state.js";
import { checkRuleReferences } from "./rule-references.js";
import { insertRule, moveRule, normalizeRuleOrder, removeRule } from "./rule-priorities.js";
import type { ValidRuleInput } from "./validate-rule-input.js";

/** Who and when a write happens: modifiedBy and the ISO timestamp stamped on the rule. */
export interface WriteStamp {
  actor: string;
  nowIso: string;
}

/** The list-item view of a rule: no conditions, no settings. */
export function toRuleSummary(rule: Rule): RuleSummary {
  const { ruleConditions: _conditions, ruleSettings: _settings, ...summary } = rule;
  return summary;
}

export function findRule(state: EmulatorState, ruleId: number): Rule {
  const rule = Number.isSafeInteger(ruleId)
    ? state.rules.find((candidate) => candidate.ruleId === ruleId)
    : undefined;
  if (!rule) throw new EmulatorApiError(404, "Not Found");
  return rule;
}

/** POST: validates references and name uniqueness, assigns an id, places the rule and shifts the others. */
export function createRule(state: EmulatorState, input: ValidRuleInput, stamp: WriteStamp): Rule {
  checkUniqueName(state, input.ruleName, undefined);
  checkRuleReferences(input.ruleConditions, state);
  const rule: Rule = {
    ruleId: state.nextRuleId++,
    ruleName: input.ruleName,
    ruleDescription: input.ruleDescription,
    ruleAction: input.ruleAction,
    rulePriority: 0,
    ruleIsDefault: false,
    ruleIsEnabled: input.ruleIsEnabled,
    organizationId: state.organizationId,
    modifiedBy: stamp.actor,
    createdAt: stamp.nowIso,
    modifiedAt: stamp.nowIso,
    ruleConditions: structuredClone(input.ruleConditions),
    ruleSettings: stampSettings(input.ruleSettings, [], stamp.nowIso, stamp.nowIso),
  };
  insertRule(state.rules, rule, input.rulePriority);
  return rule;
}

/** PUT: full replace of a non-default rule; a new priority moves it and shifts the others. */
export function updateRule(
  state: EmulatorState,
  ruleId: number,
  input: ValidRuleInput,
  stamp: WriteStamp,
): Rule {
  const rule = findRule(state, ruleId);
  if (rule.ruleIsDefault) throw new EmulatorApiError(400, "Default rules cannot be modified.");
  if (input.ruleAction !== rule.ruleAction) {
    throw new EmulatorApiError(
      400,
      "ruleAction of a saved rule cannot be changed; create a new rule instead.",
    );
  }
  checkUniqueName(state, input.ruleName, rule);
  checkRuleReferences(input.ruleConditions, state);
  Object.assign(rule, {
    ruleName: input.ruleName,
    ruleDescription: input.ruleDescription,
    ruleIsEnabled: input.ruleIsEnabled,
    modifiedBy: stamp.actor,
    modifiedAt: stamp.nowIso,
    ruleConditions: structuredClone(input.ruleConditions),
    ruleSettings: stampSettings(input.ruleSettings, rule.ruleSettings, stamp.nowIso, stamp.nowIso),
  });
  normalizeRuleOrder(state.rules);
  if (input.rulePriority !== undefined && input.rulePriority !== rule.rulePriority) {
    moveRule(state.rules, rule, input.rulePriority);
  }
  return rule;
}

/** DELETE: removes a non-default rule and closes the priority gap. */
export function deleteRule(state: EmulatorState, ruleId: number): void {
  const rule = findRule(state, ruleId);
  if (rule.ruleIsDefault) throw new EmulatorApiError(400, "Default rules cannot be deleted.");
  removeRule(state.rules, rule);
}

/** Bulk PUT /policies/v2/rules: {ruleIds, properties:[{ruleIsEnabled}]} paired by index (one property applies to all). */
export function bulkSetEnabled(state: EmulatorState, body: unknown, stamp: WriteStamp): RuleSummary[] {
  const { ruleIds, properties } = parseBulkBody(body);
  const rules = ruleIds.map((id) => state.rules.find((rule) => rule.ruleId === id));
  const unknown = ruleIds.filter((_id, index) => !rules[index]);
  if (unknown.length > 0) throw new EmulatorApiError(400, `Unknown ruleIds: ${unknown.join(", ")}`);
  if (rules.some((rule) => rule?.ruleIsDefault))
    throw new EmulatorApiError(400, "Default rules cannot be modified.");
  rules.forEach((rule, index) => {
    const enabled = (properties[index] ?? properties[0])?.ruleIsEnabled;
    if (rule && enabled !== undefined)
      Object.assign(rule, { ruleIsEnabled: enabled, modifiedAt: stamp.nowIso, modifiedBy: stamp.actor });
  });
  return rules.flatMap((rule) => (rule ? [{ ...toRuleSummary(rule), rulesetId: state.organizationId }] : []));
}

function parseBulkBody(body: unknown): { ruleIds: number[]; properties: Array<{ ruleIsEnabled?: boolean }> } {
  const { ruleIds, properties } = (typeof body === "object" && body !== null ? body : {}) as Record<
    string,
    unknown
  >;
  const idsOk =
    Array.isArray(ruleIds) && ruleIds.length > 0 && ruleIds.every((id) => Number.isSafeInteger(id));
  const propsOk =
    Array.isArray(properties) &&
    properties.every(
      (p: unknown) =>
        typeof p === "object" &&
        p !== null &&
        typeof (p as Record<string, unknown>)["ruleIsEnabled"] === "boolean",
    );
  if (!idsOk || !propsOk) {
    throw new EmulatorApiError(
      400,
      "Body must be {ruleIds: [integer…], properties: [{ruleIsEnabled: boolean}…]}",
    );
  }
  if (properties.length !== 1 && properties.length !== ruleIds.length) {
    throw new EmulatorApiError(400, "properties must have one item, or one per ruleId");
  }
  return { ruleIds: ruleIds as number[], properties: properties as Array<{ ruleIsEnabled?: boolean }> };
}

function checkUniqueName(state: EmulatorState, name: string, self: Rule | undefined): void {
  const lower = name.toLowerCase();
  const clash = state.rules.find(
    (rule) => rule !== self && rule.ruleName.length === name.length && rule.ruleName.toLowerCase() === lower,
  );
  if (clash) throw new EmulatorApiError(400, `A rule with the name '${name}' already exists.`);
}

function stampSettings(
  settings: Array<{ settingName: string; settingValue: string | number | boolean }>,
  previous: RuleSetting[],
  createdAt: string,
  modifiedAt: string,
): RuleSetting[] {
  return settings.map(({ settingName, settingValue }) => ({
    settingName,
    settingValue,
    createdAt: previous.find((old) => old.settingName === settingName)?.createdAt ?? createdAt,
    modifiedAt,
  }));
}
