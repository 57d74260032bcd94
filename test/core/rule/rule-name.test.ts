import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  assertRulePrefix,
  isValidRuleName,
  isValidRulePrefix,
  ruleName,
  slugify,
} from "../../../src/core/rule/rule-name.js";

const SHA = "3f9a1c0b2d4e";

describe("ruleName", () => {
  it.each([
    ["grantops-", "payments/alice-jira", "grantops-payments-alice-jira-3f9a1c"],
    ["grantops-", "Team/Bob..DB", "grantops-team-bob-db-3f9a1c"],
    ["jit_", "a", "jit_a-3f9a1c"],
    ["grantops-", "///", "grantops-3f9a1c"],
    [
      "grantops-",
      "platform/very-long-grant-identifier-for-the-production-database",
      "grantops-platform-very-long-grant-identifie-3f9a1c",
    ],
  ])("prefix %s + id %s → %s", (prefix, id, expected) => {
    const name = ruleName(prefix, id, SHA);
    expect(name).toBe(expected);
    expect(name.length).toBeLessThanOrEqual(50);
  });

  it("never ends the slug with a dash after truncation", () => {
    expect(slugify("abc-def", 4)).toBe("abc");
  });

  it("is always a valid vendor name for any id and valid prefix", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/),
        fc.string({ maxLength: 200 }),
        fc.stringMatching(/^[0-9a-f]{12}$/),
        (prefix, id, sha) => {
          const name = ruleName(prefix, id, sha);
          expect(isValidRuleName(name)).toBe(true);
          expect(name.startsWith(prefix)).toBe(true);
          expect(name.endsWith(sha.slice(0, 6))).toBe(true);
        },
      ),
    );
  });
});

describe("rule prefix", () => {
  it.each([
    ["grantops-", true],
    ["a", true],
    ["x".repeat(20), true],
    ["x".repeat(21), false],
    ["", false],
    ["has space", false],
    ["dot.", false],
  ])("%j valid: %s", (prefix, valid) => {
    expect(isValidRulePrefix(prefix)).toBe(valid);
    if (valid) expect(() => assertRulePrefix(prefix)).not.toThrow();
    else expect(() => assertRulePrefix(prefix)).toThrow(expect.objectContaining({ code: "rule-prefix" }));
  });
});

describe("isValidRuleName", () => {
  it.each([
    ["ab", true],
    ["a", false],
    ["x".repeat(51), false],
    ["with space_and-dash", true],
    ["no/slash", false],
  ])("%j → %s", (name, valid) => {
    expect(isValidRuleName(name)).toBe(valid);
  });
});
