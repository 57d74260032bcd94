import type { Rule } from "../core/model/secure-access-types.js";

/**
 * Sorts rules by (default rules last, then rulePriority, then ruleId) and renumbers them 1..N, so priorities
 * stay unique and contiguous with the default rules at the end. Cheap when already in order.
 */
export function normalizeRuleOrder(rules: Rule[]): void {
  if (!isOrdered(rules)) rules.sort(compareRules);
  renumber(rules);
}

function renumber(rules: Rule[]): void {
  rules.forEach((rule, index) => {
    rule.rulePriority = index + 1;
  });
}

/**
 * Inserts a (non-default) rule at `priority` (1-based), shifting the rules at and after it. No priority, or one
 * beyond the last non-default rule, places it just before the default rules.
 */
export function insertRule(rules: Rule[], rule: Rule, priority?: number): void {
  normalizeRuleOrder(rules);
  const slot = Math.min((priority ?? Number.MAX_SAFE_INTEGER) - 1, countNonDefault(rules));
  rules.splice(Math.max(0, slot), 0, rule);
  renumber(rules);
}

/** Moves a rule to `priority`, shifting the others; clamped to the non-default range. */
export function moveRule(rules: Rule[], rule: Rule, priority: number): void {
  normalizeRuleOrder(rules);
  const index = rules.indexOf(rule);
  if (index >= 0) rules.splice(index, 1);
  const slot = Math.min(priority - 1, countNonDefault(rules));
  rules.splice(Math.max(0, slot), 0, rule);
  renumber(rules);
}

/** Removes a rule and closes the gap. */
export function removeRule(rules: Rule[], rule: Rule): void {
  normalizeRuleOrder(rules);
  const index = rules.indexOf(rule);
  if (index >= 0) rules.splice(index, 1);
  renumber(rules);
}

function countNonDefault(rules: Rule[]): number {
  return rules.filter((rule) => !rule.ruleIsDefault).length;
}

function compareRules(a: Rule, b: Rule): number {
  if (a.ruleIsDefault !== b.ruleIsDefault) return a.ruleIsDefault ? 1 : -1;
  return a.rulePriority - b.rulePriority || a.ruleId - b.ruleId;
}

function isOrdered(rules: Rule[]): boolean {
  for (let i = 1; i < rules.length; i++) {
    if (compareRules(rules[i - 1]!, rules[i]!) > 0) return false;
  }
  return true;
}
