// The classification table (docs/plan-and-safety.md, "Ownership"): what a rule is, from its listing, its full
// conditions when fetched, grantops' record, the verification cache and what git shows.
import { describe, expect, it } from "vitest";
import {
  classifyRule,
  needsVerification,
  NO_FACTS,
  type OwnershipFacts,
} from "../../../src/core/rule/classify-rule.js";
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
const recorded: OwnershipFacts = { ...NO_FACTS, recorded: true };
const cached: OwnershipFacts = { ...NO_FACTS, cacheVerified: true };
/** Git knows the grant and its current version (the one whose marker `full` carries). */
const gitKnows: OwnershipFacts = {
  ...NO_FACTS,
  knownGrant: (id) => id === g.grantId,
  knownVersion: (id, sha) => id === g.grantId && full.ruleDescription!.includes(`sha=${sha}`),
};
const extraConditions: ActualRule = {
  ...full,
  ruleConditions: [full.ruleConditions![0]!, { ...full.ruleConditions![1]!, attributeValue: [1, 183456] }],
};

describe("classifyRule: the classification table", () => {
  it.each<[string, ActualRule, OwnershipFacts, string]>([
    // foreign
    ["a foreign rule", foreignRule(1), NO_FACTS, "foreign"],
    ["a default rule", defaultRule(2), NO_FACTS, "foreign"],
    ["a default rule even with our prefix and marker", { ...full, ruleIsDefault: true }, recorded, "foreign"],
    [
      "marker text later in the description",
      foreignRule(3, { ruleDescription: "see grantops/v1" }),
      NO_FACTS,
      "foreign",
    ],
    // managed: intact, conditions seen
    ["intact, conditions fetched and matching", full, NO_FACTS, "managed"],
    ["intact listing the cache vouches for", summary, cached, "managed"],
    // unverified: intact listing, conditions not seen (whatever the timestamps say)
    ["intact listing, created = modified", summary, NO_FACTS, "unverified"],
    [
      "intact listing modified 100 ms after creation",
      { ...summary, modifiedAt: "2026-11-26T08:00:00.100Z" },
      NO_FACTS,
      "unverified",
    ],
    ["intact listing, recorded", summary, recorded, "unverified"],
    // tampered: proof by grantops' record
    ["recorded, conditions edited", extraConditions, recorded, "tampered"],
    ["recorded, renamed", { ...full, ruleName: "grantops-other-abcdef" }, recorded, "tampered"],
    ["recorded, disabled", { ...full, ruleIsEnabled: false }, recorded, "tampered"],
    ["recorded, action block", { ...full, ruleAction: "block" }, recorded, "tampered"],
    [
      "recorded, text appended to the marker",
      { ...full, ruleDescription: `${full.ruleDescription} x` },
      recorded,
      "tampered",
    ],
    // unexplained: proof by git (a real version's name, or a matching hash for a grant git knows)
    [
      "not recorded, the desired name of a version git shows, extra conditions",
      extraConditions,
      gitKnows,
      "unexplained",
    ],
    [
      "not recorded, renamed, conditions match, grant in git",
      { ...full, ruleName: "grantops-x-abcdef" },
      gitKnows,
      "unexplained",
    ],
    // suspicious: looks like ours, no proof
    ["prefix only", foreignRule(4, { ruleName: "grantops-manual" }), NO_FACTS, "suspicious"],
    ["marker only, on a foreign name", { ...full, ruleName: "My rule" }, NO_FACTS, "suspicious"],
    [
      "marker-like text only",
      foreignRule(5, { ruleDescription: "grantops/v1 hello" }),
      NO_FACTS,
      "suspicious",
    ],
    ["a block rule with an expired-looking marker", { ...full, ruleAction: "block" }, NO_FACTS, "suspicious"],
    ["extra conditions, grant unknown to git", extraConditions, NO_FACTS, "suspicious"],
    [
      "expiry in the marker extended, grant unknown to git",
      { ...full, ruleDescription: full.ruleDescription!.replace("exp=2026", "exp=2036") },
      NO_FACTS,
      "suspicious",
    ],
    [
      "renamed, conditions match, grant unknown to git",
      { ...full, ruleName: "grantops-x-abcdef" },
      NO_FACTS,
      "suspicious",
    ],
  ])("%s → %s", (_label, rule, facts, kind) => {
    expect(classifyRule(rule, OPTIONS, facts).kind).toBe(kind);
  });

  it("gives reasons", () => {
    const edited = classifyRule(extraConditions, OPTIONS, recorded);
    expect(edited.kind === "tampered" && edited.reason).toMatch(/differ from the marker's hash/);
    const forged = classifyRule(extraConditions, OPTIONS, gitKnows);
    expect(forged.kind === "unexplained" && forged.reason).toMatch(/grantops never created this rule/);
    const looks = classifyRule(foreignRule(4, { ruleName: "grantops-manual" }), OPTIONS, NO_FACTS);
    expect(looks.kind === "suspicious" && looks.reason).toMatch(/not a readable grantops marker/);
  });

  it("returns the parsed marker of managed rules", () => {
    const cls = classifyRule(full, OPTIONS);
    expect(cls).toMatchObject({ kind: "managed", marker: { grant: g.grantId, exp: g.expiresAt, pr: 12 } });
  });

  it("uses the configured prefix", () => {
    expect(classifyRule(full, { rulePrefix: "jit-" }, recorded).kind).toBe("tampered");
    const cls = classifyRule(summaryOf(managedRule(g, 1)), { rulePrefix: "jit-" }, recorded);
    expect(cls.kind === "tampered" && cls.reason).toMatch(/name does not match/);
  });
});

describe("needsVerification", () => {
  it.each<[string, ActualRule, boolean, boolean]>([
    ["a candidate the cache does not vouch for", summary, false, true],
    ["the same, vouched for by the cache", summary, true, false],
    [
      "modified 100 ms after creation, not vouched for",
      { ...summary, modifiedAt: "2026-11-26T08:00:00.100Z" },
      false,
      true,
    ],
    [
      "no readable marker: a GET cannot prove anything",
      foreignRule(4, { ruleName: "grantops-manual" }),
      false,
      false,
    ],
    ["a foreign rule", foreignRule(1), false, false],
    ["a default rule", defaultRule(2), false, false],
  ])("%s → %s", (_label, rule, vouched, expected) => {
    expect(needsVerification(rule, OPTIONS, vouched)).toBe(expected);
  });
});
