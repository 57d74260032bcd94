import type {
  ConditionOperator,
  Rule,
  RuleAction,
  RuleCondition,
  RuleSetting,
  RuleSummary,
} from "../core/model/secure-access-types.js";
import { badResponse, type ResponseSource } from "./bad-response.js";
import { asRecord, toBoolean, toInteger, toOptionalString } from "./lenient-values.js";

/**
 * Parses a list item of GET /policies/v2/rules leniently (stringified booleans, float ids). `shared` gives the
 * copy of the action and of the audit fields (author, times) to keep: a listing passes its pool, so the same
 * author or time in thousands of rules is kept once.
 */
export function parseRuleSummary(
  value: unknown,
  source: ResponseSource,
  shared: (text: string) => string = (text) => text,
): RuleSummary {
  const record = asRecord(value);
  if (record === null) throw badResponse(source, "a rule is not a JSON object");
  const ruleId = toInteger(record["ruleId"]);
  if (ruleId === null) throw badResponse(source, "a rule has no integer ruleId");
  const summary: RuleSummary = {
    ruleId,
    ruleName: toOptionalString(record["ruleName"]) ?? "",
    ruleAction: shared(toOptionalString(record["ruleAction"]) ?? "") as RuleAction,
    rulePriority: toInteger(record["rulePriority"]) ?? 0,
    ruleIsDefault: toBoolean(record["ruleIsDefault"]) ?? false,
    ruleIsEnabled: toBoolean(record["ruleIsEnabled"]) ?? false,
    organizationId: toInteger(record["organizationId"]) ?? 0,
  };
  const description = toOptionalString(record["ruleDescription"]);
  if (description !== undefined) summary.ruleDescription = description;
  for (const key of ["modifiedBy", "createdAt", "modifiedAt"] as const) {
    const text = toOptionalString(record[key]);
    if (text !== undefined) summary[key] = shared(text);
  }
  return summary;
}

/** Parses a full rule (GET/POST/PUT /policies/v2/rules/{id}). */
export function parseRule(value: unknown, source: ResponseSource): Rule {
  const summary = parseRuleSummary(value, source);
  const record = asRecord(value) ?? {};
  const conditions = record["ruleConditions"];
  const settings = record["ruleSettings"];
  return {
    ...summary,
    ruleConditions: Array.isArray(conditions) ? conditions.map((c) => parseCondition(c, source)) : [],
    ruleSettings: Array.isArray(settings) ? settings.map((s) => parseSetting(s, source)) : [],
  };
}

function parseCondition(value: unknown, source: ResponseSource): RuleCondition {
  const record = asRecord(value);
  if (record === null) throw badResponse(source, "a rule condition is not a JSON object");
  return {
    attributeName: toOptionalString(record["attributeName"]) ?? "",
    attributeOperator: (toOptionalString(record["attributeOperator"]) ?? "") as ConditionOperator,
    attributeValue: parseAttributeValue(record["attributeValue"]),
  };
}

/** Integer arrays may come as floats or numeric strings; booleans as strings. Other values stay as sent. */
function parseAttributeValue(value: unknown): RuleCondition["attributeValue"] {
  if (Array.isArray(value)) {
    const ints = value.map(toInteger);
    return ints.every((n) => n !== null) ? ints : (value as number[]);
  }
  const bool = toBoolean(value);
  if (bool !== null) return bool;
  if (typeof value === "string") return value;
  return asRecord(value) ?? {};
}

function parseSetting(value: unknown, source: ResponseSource): RuleSetting {
  const record = asRecord(value);
  if (record === null) throw badResponse(source, "a rule setting is not a JSON object");
  const raw = record["settingValue"];
  const setting: RuleSetting = {
    settingName: toOptionalString(record["settingName"]) ?? "",
    settingValue: typeof raw === "number" || typeof raw === "boolean" ? raw : (toOptionalString(raw) ?? ""),
  };
  for (const key of ["createdAt", "modifiedAt"] as const) {
    const text = toOptionalString(record[key]);
    if (text !== undefined) setting[key] = text;
  }
  return setting;
}
