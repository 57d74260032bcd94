import type { RuleAction, RuleCondition, RuleInput, RuleSetting } from "../core/model/secure-access-types.js";
import { EmulatorApiError } from "./emulator-api-error.js";

/** A rule body after validation: defaults applied (description "", enabled true). */
export interface ValidRuleInput extends RuleInput {
  ruleDescription: string;
  ruleIsEnabled: boolean;
}

const namePattern = /^[a-zA-Z0-9 _-]+$/;
const operators = new Set(["=", "IN", "INTERSECT", "AND"]);
const actions = new Set(["allow", "block"]);

/**
 * Validates a POST/PUT rule body the way the vendor's 1.0.1 spec describes it; throws a 400 listing every
 * problem. Read-only fields in the body (ruleId, organizationId, timestamps…) are ignored.
 */
export function validateRuleInput(body: unknown, requirePriority: boolean): ValidRuleInput {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new EmulatorApiError(400, "Request body must be a JSON object");
  }
  const input = body as Record<string, unknown>;
  const problems = [
    ...nameProblems(input["ruleName"]),
    ...descriptionProblems(input["ruleDescription"]),
    ...actionProblems(input["ruleAction"]),
    ...priorityProblems(input["rulePriority"], requirePriority),
    ...(input["ruleIsEnabled"] === undefined || typeof input["ruleIsEnabled"] === "boolean"
      ? []
      : ["ruleIsEnabled must be a boolean"]),
    ...conditionProblems(input["ruleConditions"]),
    ...settingProblems(input["ruleSettings"]),
  ];
  if (problems.length > 0) throw new EmulatorApiError(400, problems.join("; "));
  return {
    ruleName: input["ruleName"] as string,
    ruleDescription: (input["ruleDescription"] as string | undefined) ?? "",
    ruleAction: input["ruleAction"] as RuleAction,
    ...(input["rulePriority"] === undefined ? {} : { rulePriority: input["rulePriority"] as number }),
    ruleIsEnabled: (input["ruleIsEnabled"] as boolean | undefined) ?? true,
    ruleConditions: input["ruleConditions"] as RuleCondition[],
    ruleSettings: (input["ruleSettings"] as RuleSetting[]).map(({ settingName, settingValue }) => ({
      settingName,
      settingValue,
    })),
  };
}

function nameProblems(name: unknown): string[] {
  if (name === undefined) return ["ruleName is required"];
  if (typeof name !== "string") return ["ruleName must be a string"];
  const problems: string[] = [];
  if (name.length < 2 || name.length > 50) problems.push("ruleName must be 2 to 50 characters long");
  if (!namePattern.test(name)) problems.push("ruleName must match ^[a-zA-Z0-9-_\\s]+$");
  return problems;
}

function descriptionProblems(description: unknown): string[] {
  if (description === undefined) return [];
  if (typeof description !== "string") return ["ruleDescription must be a string"];
  return description.length > 256 ? ["ruleDescription must be at most 256 characters long"] : [];
}

function actionProblems(action: unknown): string[] {
  if (action === undefined) return ["ruleAction is required"];
  return typeof action === "string" && actions.has(action) ? [] : ["ruleAction must be one of allow, block"];
}

function priorityProblems(priority: unknown, required: boolean): string[] {
  if (priority === undefined) return required ? ["rulePriority is required"] : [];
  return Number.isInteger(priority) && (priority as number) >= 1
    ? []
    : ["rulePriority must be a positive integer"];
}

function conditionProblems(conditions: unknown): string[] {
  if (conditions === undefined) return ["ruleConditions is required"];
  if (!Array.isArray(conditions) || conditions.length === 0)
    return ["ruleConditions must be a non-empty array"];
  return conditions.flatMap((condition: unknown, index) => {
    const at = `ruleConditions[${index}]`;
    if (typeof condition !== "object" || condition === null) return [`${at} must be an object`];
    const { attributeName, attributeOperator, attributeValue } = condition as Record<string, unknown>;
    const problems: string[] = [];
    if (typeof attributeName !== "string" || attributeName === "")
      problems.push(`${at}.attributeName is required`);
    if (typeof attributeOperator !== "string" || !operators.has(attributeOperator)) {
      problems.push(`${at}.attributeOperator must be one of =, IN, INTERSECT, AND`);
    }
    if (!isAttributeValue(attributeValue)) {
      problems.push(`${at}.attributeValue must be a string, a boolean, an integer array or an object`);
    }
    return problems;
  });
}

function isAttributeValue(value: unknown): boolean {
  if (typeof value === "string" || typeof value === "boolean") return true;
  if (Array.isArray(value)) return value.every((item) => Number.isInteger(item));
  return typeof value === "object" && value !== null;
}

function settingProblems(settings: unknown): string[] {
  if (settings === undefined) return ["ruleSettings is required"];
  if (!Array.isArray(settings) || settings.length === 0) return ["ruleSettings must be a non-empty array"];
  return settings.flatMap((setting: unknown, index) => {
    const at = `ruleSettings[${index}]`;
    if (typeof setting !== "object" || setting === null) return [`${at} must be an object`];
    const { settingName, settingValue } = setting as Record<string, unknown>;
    const problems: string[] = [];
    if (typeof settingName !== "string" || settingName === "") problems.push(`${at}.settingName is required`);
    if (!["string", "number", "boolean"].includes(typeof settingValue)) {
      problems.push(`${at}.settingValue must be a string, a number or a boolean`);
    }
    return problems;
  });
}
