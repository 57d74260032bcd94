import type { Rule, RuleCondition } from "../core/model/secure-access-types.js";
import { EmulatorApiError } from "./emulator-api-error.js";

export type RulePredicate = (rule: Rule) => boolean;

type FilterBuilder = (value: unknown, filters: Record<string, unknown>) => RulePredicate;

const builders: Record<string, FilterBuilder> = {
  ruleName: (value) => textContains("ruleName", value, (rule) => rule.ruleName),
  ruleDescription: (value) => textContains("ruleDescription", value, (rule) => rule.ruleDescription ?? ""),
  ruleIsEnabled: (value) => booleanEquals("ruleIsEnabled", value, (rule) => rule.ruleIsEnabled),
  ruleIsDefault: (value) => booleanEquals("ruleIsDefault", value, (rule) => rule.ruleIsDefault),
  ruleAction: (value) => {
    const action = expectString("ruleAction", value).toLowerCase();
    return (rule) => rule.ruleAction === action;
  },
  rulePriority: (value) => {
    const priorities = new Set(
      String(value)
        .split(",")
        .map((part) => Number(part.trim())),
    );
    return (rule) => priorities.has(rule.rulePriority);
  },
  attributeName: (value, filters) => {
    const name = expectString("attributeName", value);
    const wanted = filters["attributeValue"];
    return (rule) => rule.ruleConditions.some((c) => c.attributeName === name && valueMatches(c, wanted));
  },
  attributeValue: () => () => true, // used together with attributeName
  settingName: (value, filters) => {
    const name = expectString("settingName", value);
    const wanted = filters["settingValue"];
    return (rule) =>
      rule.ruleSettings.some(
        (s) => s.settingName === name && (wanted === undefined || s.settingValue === wanted),
      );
  },
  settingValue: () => () => true, // used together with settingName
  sources: (value) => conditionList("sources", value),
  destinations: (value) => conditionList("destinations", value),
  ruleConditions: (value) => conditionList("ruleConditions", value),
};

/**
 * Builds a predicate from the rules list `filters` object (docs/vendor-client.md, vendor API facts; docs/emulator.md). Text filters are
 * case-insensitive substrings; `sources`/`destinations`/`ruleConditions` items `{"<attributeName>": "*" | value}`
 * require a condition with that name (and value). Unknown keys and bad values are a 400.
 */
export function buildRuleFilter(filters: Record<string, unknown>): RulePredicate {
  if (
    filters["ruleConditions"] !== undefined &&
    (filters["sources"] !== undefined || filters["destinations"] !== undefined)
  ) {
    throw new EmulatorApiError(400, "filters may use ruleConditions or sources/destinations, not both");
  }
  const predicates = Object.entries(filters).map(([key, value]) => {
    const builder = Object.hasOwn(builders, key) ? builders[key] : undefined;
    if (!builder) throw new EmulatorApiError(400, `Unsupported filter: ${key}`);
    return builder(value, filters);
  });
  return (rule) => predicates.every((predicate) => predicate(rule));
}

function expectString(key: string, value: unknown): string {
  if (typeof value !== "string") throw new EmulatorApiError(400, `filters.${key} must be a string`);
  return value;
}

function textContains(key: string, value: unknown, read: (rule: Rule) => string): RulePredicate {
  const needle = expectString(key, value).toLowerCase();
  return (rule) => read(rule).toLowerCase().includes(needle);
}

function booleanEquals(key: string, value: unknown, read: (rule: Rule) => boolean): RulePredicate {
  const wanted =
    value === true || value === "true" ? true : value === false || value === "false" ? false : undefined;
  if (wanted === undefined) throw new EmulatorApiError(400, `filters.${key} must be true or false`);
  return (rule) => read(rule) === wanted;
}

function conditionList(key: string, value: unknown): RulePredicate {
  if (!Array.isArray(value) || !value.every((item) => typeof item === "object" && item !== null)) {
    throw new EmulatorApiError(400, `filters.${key} must be an array of {"<attributeName>": value} objects`);
  }
  const wanted = (value as Array<Record<string, unknown>>).flatMap((item) => Object.entries(item));
  return (rule) =>
    wanted.every(([name, expected]) =>
      rule.ruleConditions.some(
        (c) => c.attributeName === name && valueMatches(c, expected === "*" ? undefined : expected),
      ),
    );
}

function valueMatches(condition: RuleCondition, wanted: unknown): boolean {
  if (wanted === undefined || wanted === "*") return true;
  const actual = condition.attributeValue;
  const wantedList = Array.isArray(wanted) ? (wanted as unknown[]) : [wanted];
  if (Array.isArray(actual)) return wantedList.every((item) => actual.includes(Number(item)));
  return JSON.stringify(actual) === JSON.stringify(wanted);
}
