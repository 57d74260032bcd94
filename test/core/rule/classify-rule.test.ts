import { describe, expect, it } from "vitest";
import { classifyRule, needsDetail } from "../../../src/core/rule/classify-rule.js";
import type { ActualRule } from "../../../src/core/model/types.js";
import {
  defaultRule,
  foreignRule,
  grant,
  managedRule,
  OPTIONS,
  summaryOf,
} from "../../helpers/plan-fixtures.js";

const g = grant();
const full = managedRule(g, 7);
const summary = summaryOf(full);
const edited = { modifiedAt: "2026-11-26T08:00:03Z" };

describe("classifyRule", () => {
  it.each<[string, ActualRule, string]>([
    ["an intact full rule", full, "managed"],
    ["an intact listing (created = modified)", summary, "managed"],
    [
      "a listing modified within 2 s of creation",
      { ...summary, modifiedAt: "2026-11-26T08:00:02Z" },
      "managed",
    ],
    ["a full rule modified later but unchanged", { ...full, ...edited }, "managed"],
    [
      "vendor timestamps without offset",
      { ...summary, createdAt: "2026-11-26 08:00:00", modifiedAt: "2026-11-26T08:00:01.5" },
      "managed",
    ],
    ["a foreign rule", foreignRule(1), "foreign"],
    ["a default rule", defaultRule(2), "foreign"],
    ["a default rule even with our prefix", { ...full, ruleIsDefault: true }, "foreign"],
    [
      "a foreign rule mentioning grantops later",
      foreignRule(3, { ruleDescription: "see grantops/v1" }),
      "foreign",
    ],
  ])("%s → %s", (_label, rule, kind) => {
    expect(classifyRule(rule, OPTIONS).kind).toBe(kind);
  });

  it.each<[string, ActualRule, RegExp]>([
    [
      "prefix without marker",
      foreignRule(4, { ruleName: "grantops-manual" }),
      /not a readable grantops marker/,
    ],
    [
      "marker with text appended",
      { ...full, ruleDescription: `${full.ruleDescription} edited` },
      /not a readable/,
    ],
    ["renamed", { ...full, ruleName: "grantops-other-abcdef" }, /name does not match/],
    ["marker on a foreign-named rule", { ...full, ruleName: "My rule" }, /name does not match/],
    ["action block", { ...full, ruleAction: "block" }, /action is block/],
    ["disabled", { ...full, ruleIsEnabled: false }, /disabled/],
    [
      "conditions edited",
      {
        ...full,
        ruleConditions: [
          full.ruleConditions![0]!,
          { ...full.ruleConditions![1]!, attributeValue: [1, 183456] },
        ],
      },
      /differ from the marker's hash/,
    ],
    ["settings edited", { ...full, ruleSettings: [] }, /differ/],
    [
      "expiry in the marker extended",
      { ...full, ruleDescription: full.ruleDescription!.replace("exp=2026", "exp=2027") },
      /differ/,
    ],
    ["a listing modified later without conditions", { ...summary, ...edited }, /not verified/],
    ["a listing without timestamps", { ...summary, createdAt: undefined }, /not verified/],
  ])("tampered: %s", (_label, rule, reason) => {
    const cls = classifyRule(rule, OPTIONS);
    expect(cls.kind).toBe("tampered");
    if (cls.kind === "tampered") expect(cls.reason).toMatch(reason);
  });

  it("returns the parsed marker of managed rules", () => {
    const cls = classifyRule(full, OPTIONS);
    expect(cls).toMatchObject({ kind: "managed", marker: { grant: g.grantId, exp: g.expiresAt, pr: 12 } });
  });

  it("uses the configured prefix", () => {
    expect(classifyRule(full, { rulePrefix: "jit-" }).kind).toBe("tampered");
    const cls = classifyRule(summaryOf(managedRule(g, 1)), { rulePrefix: "jit-" });
    expect(cls.kind === "tampered" && cls.reason).toMatch(/name does not match/);
  });
});

describe("needsDetail", () => {
  it.each<[string, ActualRule, boolean]>([
    ["unmodified candidate", summary, false],
    ["modified 2 s after creation", { ...summary, modifiedAt: "2026-11-26T08:00:02Z" }, false],
    ["modified 3 s after creation", { ...summary, ...edited }, true],
    ["missing timestamps", { ...summary, modifiedAt: undefined }, true],
    ["unreadable timestamps", { ...summary, createdAt: "yesterday" }, true],
    ["foreign rule modified later", foreignRule(1), false],
    ["default rule", defaultRule(2), false],
  ])("%s → %s", (_label, rule, expected) => {
    expect(needsDetail(rule, OPTIONS)).toBe(expected);
  });
});
