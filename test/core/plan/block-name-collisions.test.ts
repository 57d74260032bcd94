import { describe, expect, it } from "vitest";
import type { RuleClass } from "../../../src/core/rule/classify-rule.js";
import { blockNameCollisions } from "../../../src/core/plan/block-name-collisions.js";
import { selectDesired } from "../../../src/core/plan/select-desired.js";
import { grant, hoursFromNow, managedRule, NOW, OPTIONS, planInput } from "../../helpers/plan-fixtures.js";

const alice = grant({ grantId: "payments/alice-jira" });
const bob = grant({ grantId: "payments/bob-jira", users: ["bob@example.com"], identityIds: [1173502976] });

function selection() {
  return selectDesired(planInput({ desired: [alice, bob] }), NOW.getTime(), OPTIONS);
}

/** A managed rule of grant `owner` that carries `name` (e.g. a 6-hex prefix shared by two hashes). */
function heldBy(
  owner: string,
  name: string,
  exp = hoursFromNow(4),
): { rule: ReturnType<typeof managedRule>; cls: RuleClass } {
  const rule = { ...managedRule(bob, 900), ruleName: name };
  return {
    rule,
    cls: { kind: "managed", marker: { exp, sha: "0".repeat(12), grant: owner, pr: 1, truncated: false } },
  };
}

describe("blockNameCollisions", () => {
  it("takes a live grant whose name another grant's rule holds out of a new selection, and holds it", () => {
    const given = selection();
    const before = structuredClone(given);
    const holds = new Map([["payments/carol-jira", "policy refused"]]);
    const name = given.live.get("payments/alice-jira")!.rule.ruleName;

    const out = blockNameCollisions([heldBy("payments/other", name)], given, holds, NOW.getTime());

    expect([...out.selection.live.keys()]).toEqual(["payments/bob-jira"]);
    expect(out.holds).toEqual(
      new Map([
        ["payments/carol-jira", "policy refused"],
        ["payments/alice-jira", `its rule name ${name} is taken by rule 900`],
      ]),
    );
    expect(out.warnings).toEqual([
      `grant payments/alice-jira: rule name ${name} is taken by rule 900 (grant payments/other); not created`,
    ]);
    expect(given).toEqual(before);
    expect(holds.size).toBe(1);
  });

  it("leaves the grant live when the name is held by its own rule or by an expired rule", () => {
    const given = selection();
    const live = given.live.get("payments/alice-jira")!;
    const own = heldBy(live.key, live.rule.ruleName);
    if (own.cls.kind === "managed") own.cls.marker.sha = live.sha;
    const expired = heldBy("payments/other", live.rule.ruleName, hoursFromNow(-1));

    const out = blockNameCollisions([own, expired], given, new Map(), NOW.getTime());

    expect([...out.selection.live.keys()]).toEqual(["payments/alice-jira", "payments/bob-jira"]);
    expect(out.warnings).toEqual([]);
  });
});
