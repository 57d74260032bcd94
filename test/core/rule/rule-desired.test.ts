import { describe, expect, it } from "vitest";
import { desiredRule } from "../../../src/core/rule/desired-rule.js";
import { ruleSha } from "../../../src/core/rule/rule-hash.js";
import { parseMarker } from "../../../src/core/rule/rule-marker.js";
import { grant, OPTIONS } from "../../helpers/plan-fixtures.js";

describe("desiredRule", () => {
  it("builds the allow rule of docs/plan-and-safety.md", () => {
    const { rule, sha } = desiredRule(grant({ identityIds: [5, 3, 5], resourceIds: [9, 1] }), OPTIONS);
    expect(sha).toMatch(/^[0-9a-f]{12}$/);
    expect(rule).toEqual({
      ruleName: `grantops-payments-alice-jira-${sha.slice(0, 6)}`,
      ruleDescription: `grantops/v1 exp=2026-11-26T18:00:00Z sha=${sha} grant=payments/alice-jira pr=12`,
      ruleAction: "allow",
      ruleIsEnabled: true,
      ruleConditions: [
        {
          attributeName: "umbrella.source.identity_ids",
          attributeOperator: "INTERSECT",
          attributeValue: [3, 5],
        },
        {
          attributeName: "umbrella.destination.private_resource_ids",
          attributeOperator: "IN",
          attributeValue: [1, 9],
        },
      ],
      ruleSettings: [
        { settingName: "umbrella.default.traffic", settingValue: "PRIVATE_NETWORK" },
        { settingName: "umbrella.logLevel", settingValue: "LOG_ALL" },
      ],
    });
    expect(rule).not.toHaveProperty("rulePriority");
  });

  it("changes the hash (and name) with the users, resources, expiry or grant, not with the PR", () => {
    const base = desiredRule(grant(), OPTIONS).sha;
    expect(desiredRule(grant({ identityIds: [1] }), OPTIONS).sha).not.toBe(base);
    expect(desiredRule(grant({ resourceIds: [1] }), OPTIONS).sha).not.toBe(base);
    expect(desiredRule(grant({ expiresAt: "2026-11-26T19:00:00Z" }), OPTIONS).sha).not.toBe(base);
    expect(desiredRule(grant({ grantId: "payments/alice-jira2" }), OPTIONS).sha).not.toBe(base);
    expect(desiredRule(grant({ approval: { ...grant().approval, pr: 99 } }), OPTIONS).sha).toBe(base);
  });

  it("normalizes the expiry, so equivalent timestamps give the same rule", () => {
    const a = desiredRule(grant({ expiresAt: "2026-11-26T18:00:00Z" }), OPTIONS);
    const b = desiredRule(grant({ expiresAt: "2026-11-26T20:00:00.400+02:00" }), OPTIONS);
    expect(b).toEqual(a);
  });

  it("refuses an unreadable expiry", () => {
    expect(() => desiredRule(grant({ expiresAt: "soon" }), OPTIONS)).toThrow(
      expect.objectContaining({ code: "grant-expiry" }),
    );
  });
});

describe("ruleSha", () => {
  const { rule, sha } = desiredRule(grant(), OPTIONS);
  const marker = parseMarker(rule.ruleDescription)!;
  const recompute = (changes: Partial<typeof rule>) =>
    ruleSha({ ...rule, ...changes }, marker.grant, marker.exp);

  it("is recomputable from an actual rule, whatever the order, operators and response extras", () => {
    expect(
      recompute({
        ruleConditions: [
          {
            attributeName: "umbrella.destination.private_resource_ids",
            attributeOperator: "INTERSECT",
            attributeValue: [183456],
          },
          {
            attributeName: "umbrella.source.identity_ids",
            attributeOperator: "IN",
            attributeValue: [1173502975],
          },
        ],
        ruleSettings: [
          { settingName: "umbrella.logLevel", settingValue: "LOG_ALL", createdAt: "x", modifiedAt: "y" },
          { settingName: "umbrella.default.traffic", settingValue: "PRIVATE_NETWORK" },
        ] as typeof rule.ruleSettings,
      }),
    ).toBe(sha);
  });

  it.each<[string, Partial<typeof rule>]>([
    [
      "an extra condition",
      {
        ruleConditions: [
          ...rule.ruleConditions,
          { attributeName: "umbrella.source.all", attributeOperator: "=", attributeValue: true },
        ],
      },
    ],
    [
      "an extra setting",
      {
        ruleSettings: [
          ...rule.ruleSettings,
          { settingName: "umbrella.posture.profileIdClientbased", settingValue: 7 },
        ],
      },
    ],
    [
      "a changed setting",
      {
        ruleSettings: [rule.ruleSettings[0]!, { settingName: "umbrella.logLevel", settingValue: "LOG_NONE" }],
      },
    ],
    ["a missing condition", { ruleConditions: [rule.ruleConditions[0]!] }],
    [
      "another identity",
      { ruleConditions: [{ ...rule.ruleConditions[0]!, attributeValue: [1] }, rule.ruleConditions[1]!] },
    ],
    [
      "an operator outside IN/INTERSECT",
      { ruleConditions: [{ ...rule.ruleConditions[0]!, attributeOperator: "=" }, rule.ruleConditions[1]!] },
    ],
    [
      "a non-numeric value",
      {
        ruleConditions: [
          { ...rule.ruleConditions[0]!, attributeValue: "1173502975" },
          rule.ruleConditions[1]!,
        ],
      },
    ],
    ["action block", { ruleAction: "block" }],
    ["disabled", { ruleIsEnabled: false }],
  ])("changes with %s", (_label, changes) => {
    expect(recompute(changes)).not.toBe(sha);
  });

  it("changes with the marker's expiry or grant", () => {
    expect(ruleSha(rule, marker.grant, "2027-11-26T18:00:00Z")).not.toBe(sha);
    expect(ruleSha(rule, "payments/bob-jira", marker.exp)).not.toBe(sha);
  });
});
