import { afterEach, describe, expect, it } from "vitest";
import { demoApiKey, demoApiSecret } from "../../src/emulator/default-seed.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { createVendorBudget } from "../../src/secure-access/vendor-budget.js";
import { countOf, jitRule, seedRules } from "./emulator-fixtures.js";
import { makeTestClient } from "./make-test-client.js";

let emu: RunningEmulator | undefined;
const stop = new AbortController();
afterEach(async () => {
  stop.abort();
  await emu?.close();
  emu = undefined;
});

describe("the client's revocation reserve (against the emulator's rate limit)", () => {
  it("paces a burst of creates so the deletes of rules expiring within the minute never meet a 429", async () => {
    // The vendor allows 30 policies calls a minute; 10 rules expire within it.
    emu = await startEmulator({
      limits: { tokenPerMinute: false, policiesPerMinute: 30, policiesPerHour: false },
    });
    seedRules(emu, 10);
    const expiring = emu.state.rules.filter((rule) => rule.ruleName.startsWith("bulk-"));
    const budget = createVendorBudget({
      windows: [{ name: "minute", limit: 30, windowMs: 60_000 }],
      baseReserve: 0,
    });
    const { client } = makeTestClient(emu.url, {
      apiKey: demoApiKey,
      apiSecret: demoApiSecret,
      budget,
      signal: stop.signal,
      retry: { retries: 0 },
    });
    const expiry = Date.now() + 5_000;
    client.expectExpiries?.(
      expiring.map(() => expiry),
      expiring.length,
    );
    // A push of 30 new grants: every create is asked for at once.
    const creates = Array.from({ length: 30 }, (_, i) => client.createRule(jitRule(`burst-${i}`)));
    for (const create of creates) void create.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The expiry comes: every delete goes through, none refused by the vendor.
    await Promise.all(expiring.map((rule) => client.deleteRule(rule.ruleId, { expiresAtMs: expiry })));
    expect(emu.state.rules.filter((rule) => rule.ruleName.startsWith("bulk-"))).toEqual([]);
    expect(countOf(emu, /^DELETE .* 429$/)).toBe(0);
    expect(countOf(emu, /^POST \/policies\/v2\/rules 200$/)).toBe(30 - 10 - 1);
    expect(budget.reserves()[0]).toMatchObject({ used: 29 });
  });
});
