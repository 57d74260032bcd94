import type { Rule, RuleCondition, RuleInput } from "../core/model/secure-access-types.js";
import { compareText } from "../core/model/compare-text.js";
import { canonicalJson } from "../core/rule/rule-hash.js";

/**
 * True when the stored rule is the rule `input` asks for: same name, description, action, enabled flag,
 * conditions and settings. The order of conditions, of settings and of the ids in a condition does not matter;
 * the priority (which moves as other rules come and go) and the vendor's timestamps are not content.
 */
export function sameRuleContent(input: RuleInput, rule: Rule): boolean {
  return (
    rule.ruleName === input.ruleName &&
    (rule.ruleDescription ?? "") === (input.ruleDescription ?? "") &&
    rule.ruleAction === input.ruleAction &&
    rule.ruleIsEnabled === (input.ruleIsEnabled ?? true) &&
    sameItems(rule.ruleConditions.map(conditionKey), input.ruleConditions.map(conditionKey)) &&
    sameItems(rule.ruleSettings.map(settingKey), input.ruleSettings.map(settingKey))
  );
}

function conditionKey({ attributeName, attributeOperator, attributeValue }: RuleCondition): string {
  const value = Array.isArray(attributeValue) ? [...attributeValue].sort((a, b) => a - b) : attributeValue;
  return canonicalJson([attributeName, attributeOperator, value]);
}

function settingKey(setting: { settingName: string; settingValue: unknown }): string {
  return canonicalJson([setting.settingName, setting.settingValue]);
}

function sameItems(left: string[], right: string[]): boolean {
  const sorted = (items: string[]): string => JSON.stringify([...items].sort(compareText));
  return sorted(left) === sorted(right);
}
