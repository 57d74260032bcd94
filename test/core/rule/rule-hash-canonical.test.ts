// ruleSha writes its canonical text directly (src/core/rule/rule-hash.ts). The reference below is its
// definition: sha256 over canonicalJson of the object {v, grant, exp, action, enabled, identityIds, resourceIds,
// settings[, extra]}. Every hash a deployed grantops wrote into a marker must stay the same, so the two are
// compared on arbitrary rule bodies, including the malformed ones a Secure Access admin could leave behind.
import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  IDENTITY_ATTRIBUTE,
  RESOURCE_ATTRIBUTE,
  ruleSha,
  SHA_LENGTH,
  sortedUniqueIds,
  type HashableRule,
} from "../../../src/core/rule/rule-hash.js";
import { compareText } from "../../../src/core/model/compare-text.js";
import type { RuleCondition } from "../../../src/core/model/secure-access-types.js";

function referenceSha(rule: HashableRule, grant: string, exp: string): string {
  let identityIds: number[] | null = null;
  let resourceIds: number[] | null = null;
  const extra: string[] = [];
  for (const condition of rule.ruleConditions) {
    const { attributeOperator: op, attributeValue: value } = condition;
    const ids =
      (op === "IN" || op === "INTERSECT") &&
      Array.isArray(value) &&
      value.every((v) => Number.isSafeInteger(v))
        ? sortedUniqueIds(value)
        : null;
    if (ids !== null && condition.attributeName === IDENTITY_ATTRIBUTE && identityIds === null)
      identityIds = ids;
    else if (ids !== null && condition.attributeName === RESOURCE_ATTRIBUTE && resourceIds === null)
      resourceIds = ids;
    else extra.push(canonicalJson(condition));
  }
  const canonical: Record<string, unknown> = {
    v: 1,
    grant,
    exp,
    action: rule.ruleAction,
    enabled: rule.ruleIsEnabled ?? null,
    identityIds,
    resourceIds,
    settings: rule.ruleSettings
      .map((s) => canonicalJson([s.settingName, s.settingValue]))
      .sort(compareText)
      .map((s) => JSON.parse(s) as unknown),
  };
  if (extra.length > 0) canonical.extra = extra.sort(compareText).map((s) => JSON.parse(s) as unknown);
  return createHash("sha256").update(canonicalJson(canonical)).digest("hex").slice(0, SHA_LENGTH);
}

const anyJson = fc.jsonValue({ maxDepth: 3 });
const ids = fc.array(fc.oneof(fc.integer(), fc.double(), fc.constant(2 ** 60)), { maxLength: 5 });
const condition: fc.Arbitrary<RuleCondition> = fc.record({
  attributeName: fc.oneof(fc.constantFrom(IDENTITY_ATTRIBUTE, RESOURCE_ATTRIBUTE), fc.string()),
  attributeOperator: fc.oneof(fc.constantFrom("IN", "INTERSECT"), fc.string()),
  attributeValue: fc.oneof(ids, anyJson),
}) as fc.Arbitrary<RuleCondition>;
const rule: fc.Arbitrary<HashableRule> = fc.record(
  {
    ruleAction: fc.oneof(fc.constantFrom("allow", "block"), anyJson),
    ruleIsEnabled: fc.oneof(fc.boolean(), anyJson),
    ruleConditions: fc.array(condition, { maxLength: 4 }),
    ruleSettings: fc.array(
      fc.record({ settingName: fc.string(), settingValue: fc.oneof(fc.string(), fc.integer(), anyJson) }),
      { maxLength: 4 },
    ),
  },
  { requiredKeys: ["ruleConditions", "ruleSettings"] },
) as fc.Arbitrary<HashableRule>;

describe("ruleSha", () => {
  it("is the sha256 of canonicalJson of the documented object, for any rule body", () => {
    fc.assert(
      fc.property(rule, fc.string(), fc.string(), (body, grant, exp) => {
        expect(ruleSha(structuredClone(body), grant, exp)).toBe(
          referenceSha(structuredClone(body), grant, exp),
        );
      }),
      { numRuns: 500 },
    );
  });

  it("keeps the hash of a known rule (a marker written by an earlier grantops)", () => {
    const body: HashableRule = {
      ruleAction: "allow",
      ruleIsEnabled: true,
      ruleConditions: [
        { attributeName: IDENTITY_ATTRIBUTE, attributeOperator: "INTERSECT", attributeValue: [5, 3, 5] },
        { attributeName: RESOURCE_ATTRIBUTE, attributeOperator: "IN", attributeValue: [9, 1] },
      ],
      ruleSettings: [
        { settingName: "umbrella.logLevel", settingValue: "LOG_ALL" },
        { settingName: "umbrella.default.traffic", settingValue: "PRIVATE_NETWORK" },
      ],
    };
    expect(ruleSha(body, "payments/alice-jira", "2026-11-26T18:00:00Z")).toBe(
      referenceSha(body, "payments/alice-jira", "2026-11-26T18:00:00Z"),
    );
  });
});
