import { describe, expect, it } from "vitest";
import { rulesOfGrants, ruleNameStem } from "../../../src/core/plan/rules-of-grants.js";
import { desiredRule } from "../../../src/core/rule/desired-rule.js";
import { foreignRule, grant, managedRule, OPTIONS } from "../../helpers/plan-fixtures.js";

const changed = grant({ grantId: "team/a" });
const longer = grant({ grantId: "team/a-b", resourceIds: [183460] });
const sameSlug = grant({ grantId: "team-a", resourceIds: [183459] });

describe("ruleNameStem", () => {
  it("is the part of the rule name every version of the grant shares", () => {
    const name = desiredRule(changed, OPTIONS).rule.ruleName;
    expect(ruleNameStem("grantops-", "team/a")).toBe("grantops-team-a-");
    expect(name.startsWith(ruleNameStem("grantops-", "team/a"))).toBe(true);
    const long = "x".repeat(100);
    expect(
      desiredRule(grant({ grantId: long }), OPTIONS).rule.ruleName.startsWith(
        ruleNameStem("grantops-", long),
      ),
    ).toBe(true);
  });
});

describe("rulesOfGrants", () => {
  it("keeps the rules of the changed grants and leaves those of grants sharing the stem", () => {
    const own = managedRule(changed, 1);
    const other = managedRule(longer, 2);
    const twin = managedRule(sameSlug, 3);
    const result = rulesOfGrants({
      found: [other, own, twin, own],
      grants: new Set(["team/a"]),
      desired: [changed],
      options: OPTIONS,
    });
    expect(result).toEqual({ kind: "rules", rules: [own] });
  });

  it("keeps a rule without a marker only when it holds a name a changed grant needs", () => {
    const name = desiredRule(changed, OPTIONS).rule.ruleName;
    const squatter = foreignRule(7, { ruleName: name.toUpperCase(), ruleDescription: "made by hand" });
    const bystander = foreignRule(8, { ruleName: "grantops-team-a-zzzzzz", ruleDescription: "made by hand" });
    const result = rulesOfGrants({
      found: [squatter, bystander],
      grants: new Set(["team/a"]),
      desired: [changed],
      options: OPTIONS,
    });
    expect(result).toEqual({ kind: "rules", rules: [squatter] });
  });

  it("is uncertain when a rule of another grant holds a name a changed grant needs", () => {
    const name = desiredRule(changed, OPTIONS).rule.ruleName;
    const holder = managedRule(sameSlug, 9, { ruleName: name });
    const result = rulesOfGrants({
      found: [holder],
      grants: new Set(["team/a"]),
      desired: [changed],
      options: OPTIONS,
    });
    expect(result).toEqual({ kind: "uncertain", ruleName: name });
  });
});
