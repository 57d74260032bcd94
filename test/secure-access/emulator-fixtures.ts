import type { Rule, RuleInput } from "../../src/core/model/secure-access-types.js";
import type { RunningEmulator } from "../../src/emulator/start-emulator.js";

/** A valid private-access rule body (alice → Jira in the default seed). */
export function jitRule(name: string): RuleInput {
  return {
    ruleName: name,
    ruleDescription: `grantops/v1 exp=2026-11-26T18:00Z sha=000000000000 grant=${name}`,
    ruleAction: "allow",
    ruleIsEnabled: true,
    ruleConditions: [
      {
        attributeName: "umbrella.source.identity_ids",
        attributeOperator: "INTERSECT",
        attributeValue: [1173502975],
      },
      {
        attributeName: "umbrella.destination.private_resource_ids",
        attributeOperator: "IN",
        attributeValue: [183456],
      },
    ],
    ruleSettings: [
      { settingName: "umbrella.default.traffic", settingValue: "PRIVATE_NETWORK" },
      { settingName: "umbrella.logLevel", settingValue: "LOG_ALL" },
    ],
  };
}

/** Adds `count` rules straight into the emulator's store, ahead of the default rules. */
export function seedRules(emu: RunningEmulator, count: number): void {
  const state = emu.state;
  const firstDefault = state.rules.findIndex((rule) => rule.ruleIsDefault);
  const at = firstDefault < 0 ? state.rules.length : firstDefault;
  const created = "2026-01-05T09:00:00.000Z";
  const rules: Rule[] = Array.from({ length: count }, (_, i) => {
    const input = jitRule(`bulk-${i}`);
    return {
      ...input,
      ruleId: state.nextRuleId + i,
      rulePriority: at + i + 1,
      ruleDescription: input.ruleDescription ?? "",
      ruleIsEnabled: true,
      ruleIsDefault: false,
      organizationId: state.organizationId,
      modifiedBy: "org/8094936/user/1",
      createdAt: created,
      modifiedAt: created,
    };
  });
  state.nextRuleId += count;
  state.rules.splice(at, 0, ...rules);
  state.rules.forEach((rule, index) => {
    rule.rulePriority = index + 1;
  });
}

/** Sum of the emulator's counters whose key matches `pattern` ("METHOD route status"). */
export function countOf(emu: RunningEmulator, pattern: RegExp): number {
  return Object.entries(emu.counters())
    .filter(([key]) => pattern.test(key))
    .reduce((sum, [, n]) => sum + n, 0);
}

export const noLimits = { tokenPerMinute: false, policiesPerMinute: false, policiesPerHour: false } as const;
