import { afterEach, describe, expect, it } from "vitest";
import type { RuleInput } from "../../src/core/model/secure-access-types.js";
import { demoApiKey, demoApiSecret } from "../../src/emulator/default-seed.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { RULE_NAME_TAKEN, RuleNameTakenError } from "../../src/secure-access/rule-name-taken-error.js";
import { countOf, jitRule, noLimits, seedRules } from "./emulator-fixtures.js";
import { makeTestClient } from "./make-test-client.js";

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function started(): Promise<{
  e: RunningEmulator;
  client: ReturnType<typeof makeTestClient>["client"];
}> {
  emu = await startEmulator({ limits: noLimits });
  const { client } = makeTestClient(emu.url, { apiKey: demoApiKey, apiSecret: demoApiSecret });
  return { e: emu, client };
}

const named = (e: RunningEmulator, name: string) => e.state.rules.filter((rule) => rule.ruleName === name);

/** The same name, but payroll-db instead of Jira: what an admin's look-alike rule could grant. */
function otherContent(name: string): RuleInput {
  const rule = jitRule(name);
  return {
    ...rule,
    ruleConditions: rule.ruleConditions.map((condition) =>
      condition.attributeName === "umbrella.destination.private_resource_ids"
        ? { ...condition, attributeValue: [183458] }
        : condition,
    ),
  };
}

describe("createRule is idempotent by rule name (against the emulator)", () => {
  it("creating the same rule twice returns the one rule, found with the ruleName filter", async () => {
    const { e, client } = await started();
    seedRules(e, 2500);
    const first = await client.createRule(jitRule("grantops-twice"));
    const second = await client.createRule(jitRule("grantops-twice"));
    expect(first.existing).toBeUndefined();
    // The caller can tell "already there" from "created": the journal records the second as adopted.
    expect(second).toEqual({ ...first, existing: true });
    expect(named(e, "grantops-twice")).toHaveLength(1);
    expect(countOf(e, /^POST \/policies\/v2\/rules 400$/)).toBe(1);
    // One page of the name's matches, not the three pages of a full listing of 2,500 rules.
    expect(countOf(e, /^GET \/policies\/v2\/rules 200$/)).toBe(1);
  });

  it("a POST stored by the vendor whose reply was lost is retried and returns the stored rule", async () => {
    const { e, client } = await started();
    e.setFaults("failNext=1:lost,routes=writes");
    const rule = await client.createRule(jitRule("grantops-lost"));
    expect(countOf(e, /^POST \/policies\/v2\/rules lost$/)).toBe(1);
    expect(named(e, "grantops-lost")).toEqual([expect.objectContaining({ ruleId: rule.ruleId })]);
    // This call's own first attempt made it: not someone else's rule (the journal records a create, not adopted).
    expect(rule.existing).toBeUndefined();
  });

  it("a name taken by a rule with other content is a typed RULE_NAME_TAKEN error carrying that rule", async () => {
    const { e, client } = await started();
    const existing = await client.createRule(otherContent("grantops-taken"));
    const error: unknown = await client
      .createRule(jitRule("grantops-taken"))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RuleNameTakenError);
    expect(error).toMatchObject({
      code: RULE_NAME_TAKEN,
      status: 400,
      existing: { ruleId: existing.ruleId },
    });
    expect((error as RuleNameTakenError).existing.ruleConditions).toEqual(existing.ruleConditions);
    expect(named(e, "grantops-taken")).toHaveLength(1);
  });

  it("a name taken in another letter case is taken, not the same rule", async () => {
    const { client } = await started();
    await client.createRule(jitRule("GRANTOPS-case"));
    await expect(client.createRule(jitRule("grantops-case"))).rejects.toMatchObject({
      code: RULE_NAME_TAKEN,
    });
  });

  it("a 400 for another reason (an unknown identity id) stays that 400", async () => {
    const { client } = await started();
    const rule = jitRule("grantops-unknown-id");
    const unknownUser = { ...rule.ruleConditions[0]!, attributeValue: [42] };
    await expect(
      client.createRule({ ...rule, ruleConditions: [unknownUser, rule.ruleConditions[1]!] }),
    ).rejects.toMatchObject({ code: "VENDOR_HTTP_400" });
  });
});
