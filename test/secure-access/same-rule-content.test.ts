import { describe, expect, it } from "vitest";
import type { Rule, RuleInput } from "../../src/core/model/secure-access-types.js";
import { sameRuleContent } from "../../src/secure-access/same-rule-content.js";
import { jitRule } from "./emulator-fixtures.js";

const input = jitRule("grantops-content");

function stored(change: Partial<Rule> = {}): Rule {
  return {
    ...input,
    ruleId: 710001,
    rulePriority: 3,
    ruleIsEnabled: true,
    ruleIsDefault: false,
    organizationId: 8094936,
    createdAt: "2026-11-26T10:00:00Z",
    ruleSettings: input.ruleSettings.map((s) => ({ ...s, createdAt: "2026-11-26T10:00:00Z" })),
    ...change,
  };
}

const [users, resources] = input.ruleConditions as [
  RuleInput["ruleConditions"][0],
  RuleInput["ruleConditions"][0],
];

describe("sameRuleContent", () => {
  it("ignores the priority, timestamps and the order of conditions, settings and ids", () => {
    const twoUsers = {
      ...input,
      ruleConditions: [{ ...users, attributeValue: [1173502975, 1173502976] }, resources],
    };
    const rule = stored({
      rulePriority: 40,
      ruleConditions: [resources, { ...users, attributeValue: [1173502976, 1173502975] }],
      ruleSettings: [...stored().ruleSettings].reverse(),
    });
    expect(sameRuleContent(twoUsers, rule)).toBe(true);
  });

  it.each<[string, Partial<Rule>]>([
    ["another name case", { ruleName: "GRANTOPS-content" }],
    ["another description", { ruleDescription: "made in the dashboard" }],
    ["disabled", { ruleIsEnabled: false }],
    ["block", { ruleAction: "block" }],
    ["another resource", { ruleConditions: [users, { ...resources, attributeValue: [183458] }] }],
    [
      "an extra condition",
      { ruleConditions: [users, resources, { ...resources, attributeValue: [183458] }] },
    ],
    [
      "another setting value",
      { ruleSettings: [{ settingName: "umbrella.logLevel", settingValue: "LOG_NONE" }] },
    ],
  ])("tells a rule with %s apart", (_name, change) => {
    expect(sameRuleContent(input, stored(change))).toBe(false);
  });
});
