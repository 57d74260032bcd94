import { afterEach, describe, expect, it } from "vitest";
import { inspect } from "node:util";
import { demoApiKey, demoApiSecret } from "../../src/emulator/default-seed.js";
import {
  startEmulator,
  type EmulatorOptions,
  type RunningEmulator,
} from "../../src/emulator/start-emulator.js";
import { VendorApiError } from "../../src/secure-access/vendor-api-error.js";
import { countOf, jitRule, noLimits, seedRules } from "./emulator-fixtures.js";
import { seededRandom } from "../helpers/seeded-random.js";
import { makeTestClient } from "./make-test-client.js";

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  emu = await startEmulator({ limits: noLimits, ...options });
  return emu;
}

function demoClient(e: RunningEmulator, overrides: Parameters<typeof makeTestClient>[1] = {}) {
  return makeTestClient(e.url, { apiKey: demoApiKey, apiSecret: demoApiSecret, ...overrides });
}

const TOKEN = /^POST \/auth\/v2\/token 200$/;

describe("client against the emulator", () => {
  it("fetches one token for many requests", async () => {
    const e = await start();
    const { client } = demoClient(e);
    await Promise.all([
      client.listRules(),
      client.listPrivateResources(),
      client.findIdentity("alice@example.com"),
    ]);
    for (let i = 0; i < 10; i += 1) await client.getRule(700001);
    expect(countOf(e, TOKEN)).toBe(1);
  });

  it("refreshes the token after expiry and after the emulator revokes it", async () => {
    let now = Date.parse("2026-03-01T10:00:00Z");
    const clock = () => now;
    const e = await start({ clock });
    const { client } = demoClient(e, { now: clock });
    await client.getRule(700001);
    now += 3541_000;
    await client.getRule(700001);
    expect(countOf(e, TOKEN)).toBe(2);
    e.revokeTokens();
    await client.getRule(700001);
    expect(countOf(e, TOKEN)).toBe(3);
    expect(countOf(e, / 401$/)).toBe(1);
  });

  it.each(["results", "result", "both"] as const)(
    "pages 2,500 seeded rules (list key %s)",
    async (listKey) => {
      const e = await start({ listKey });
      seedRules(e, 2500);
      const { client } = demoClient(e);
      const rules = await client.listRules();
      expect(rules).toHaveLength(2503);
      expect(new Set(rules.map((r) => r.ruleId)).size).toBe(2503);
      expect(rules.filter((r) => r.ruleIsDefault)).toHaveLength(2);
      expect(countOf(e, /^GET \/policies\/v2\/rules 200$/)).toBe(3);
    },
  );

  it("finds identities by label or by the UPN in parentheses; skips deleted; reports ambiguity", async () => {
    const e = await start();
    e.state.identities.push({
      id: 42,
      label: "Erin Other (erin@example.com)",
      deleted: false,
      type: { id: 7, label: "AD Users", type: "directory_user" },
    });
    const { client } = demoClient(e);
    expect((await client.findIdentity("alice@example.com")).id).toBe(1173502975);
    expect((await client.findIdentity("bob@example.com")).id).toBe(1173502976);
    await expect(client.findIdentity("mallory@example.com")).rejects.toMatchObject({
      code: "IDENTITY_NOT_FOUND",
      candidates: ["mallory@example.com [1173502980] (deleted)"],
    });
    await expect(client.findIdentity("erin@example.com")).rejects.toMatchObject({
      code: "IDENTITY_AMBIGUOUS",
    });
    await expect(client.findIdentity("Engineering")).rejects.toMatchObject({ code: "IDENTITY_NOT_FOUND" });
    expect((await client.getIdentity(1173502977)).label).toBe("carol@example.com");
  });

  it("finds private resources by exact name from one cached listing", async () => {
    const e = await start();
    const { client } = demoClient(e);
    expect((await client.findPrivateResource("Jira")).resourceId).toBe(183456);
    expect((await client.findPrivateResource("prod-db")).resourceId).toBe(183457);
    await expect(client.findPrivateResource("jira")).rejects.toMatchObject({
      code: "RESOURCE_NOT_FOUND",
      candidates: ["Jira [183456]"],
    });
    expect(await client.listPrivateResources()).toHaveLength(6);
    expect(countOf(e, /^GET \/policies\/v2\/privateResources 200$/)).toBe(1);
  });

  it("finds rules by name with the ruleName filter (case-insensitive substring), all pages, no full listing", async () => {
    const lines: string[] = [];
    const e = await start({ log: (line) => lines.push(line) });
    const { client } = demoClient(e);
    for (const name of ["grantops-team-a-1a2b3c", "grantops-team-a-b-4d5e6f", "grantops-team-c-7a8b9c"]) {
      await client.createRule(jitRule(name));
    }
    const found = await client.findRulesByName("GRANTOPS-TEAM-A-");
    expect(found.map((rule) => rule.ruleName).sort()).toEqual([
      "grantops-team-a-1a2b3c",
      "grantops-team-a-b-4d5e6f",
    ]);
    expect(await client.findRulesByName("nothing-like-it")).toEqual([]);
    const reads = lines.filter((line) => line.startsWith("GET /policies/v2/rules?"));
    expect(reads).toHaveLength(2);
    expect(reads.every((line) => line.includes("ruleName="))).toBe(true);
  });

  it("creates, reads, updates and deletes a rule; deleting it again is done", async () => {
    const e = await start();
    const { client } = demoClient(e);
    const created = await client.createRule(jitRule("grantops-alice-jira-3f9a1c"));
    expect(created).toMatchObject({
      ruleName: "grantops-alice-jira-3f9a1c",
      ruleAction: "allow",
      ruleIsEnabled: true,
    });
    expect(created.ruleConditions).toHaveLength(2);
    const read = await client.getRule(created.ruleId);
    expect(read.ruleConditions).toEqual(created.ruleConditions);
    const updated = await client.updateRule(created.ruleId, {
      ...jitRule(created.ruleName),
      ruleIsEnabled: false,
      rulePriority: read.rulePriority,
    });
    expect(updated.ruleIsEnabled).toBe(false);
    await client.deleteRule(created.ruleId);
    await client.deleteRule(created.ruleId);
    await expect(client.getRule(created.ruleId)).rejects.toMatchObject({
      code: "VENDOR_HTTP_404",
      status: 404,
    });
    expect(countOf(e, /^DELETE .* 404$/)).toBe(1);
  });

  it("exact attempt counts with failNext: 2 × 503 then success; 4 × 503 exhausts 3 retries", async () => {
    const e = await start();
    const { client } = demoClient(e);
    await client.getRule(700001); // token first, outside the fault window
    e.setFaults("failNext=2:503,routes=rules");
    await client.getRule(700001);
    expect(countOf(e, /^GET \/policies\/v2\/rules\/\{ruleId\} 503$/)).toBe(2);
    expect(countOf(e, /^GET \/policies\/v2\/rules\/\{ruleId\} 200$/)).toBe(2);
    e.setFaults("failNext=4:409,routes=writes");
    await expect(client.createRule(jitRule("grantops-locked"))).rejects.toMatchObject({
      code: "VENDOR_HTTP_409",
      retryable: true,
    });
    expect(countOf(e, /^POST \/policies\/v2\/rules 409$/)).toBe(4);
    expect(e.state.rules.some((r) => r.ruleName === "grantops-locked")).toBe(false);
  });

  it("never retries 400 or 403", async () => {
    const e = await start();
    e.state.apiKeys.push({
      key: "read-only-key",
      secret: "read-only-secret",
      scopes: ["policies.rules:read"],
    });
    const { client } = demoClient(e);
    await expect(client.createRule(jitRule("bad name: with colon"))).rejects.toMatchObject({
      code: "VENDOR_HTTP_400",
    });
    const unknownIdentity = jitRule("grantops-unknown-identity");
    unknownIdentity.ruleConditions[0]!.attributeValue = [999];
    await expect(client.createRule(unknownIdentity)).rejects.toMatchObject({
      code: "VENDOR_HTTP_400",
      vendorMessage: expect.stringMatching(/invalid data passed/) as unknown,
    });
    expect(countOf(e, /^POST \/policies\/v2\/rules 400$/)).toBe(2);
    const readOnly = makeTestClient(e.url, { apiKey: "read-only-key", apiSecret: "read-only-secret" });
    await expect(readOnly.client.createRule(jitRule("grantops-ro"))).rejects.toMatchObject({
      code: "VENDOR_HTTP_403",
      vendorMessage: "Not Authorized",
    });
    expect(countOf(e, /^POST \/policies\/v2\/rules 403$/)).toBe(1);
  });

  it("serialised writes never meet the ruleset lock; two unsynchronised clients do, and retry through it", async () => {
    const e = await start({ writeDelayMs: 10 });
    const { client } = demoClient(e);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.createRule(jitRule(`grantops-serial-${i}`))),
    );
    expect(countOf(e, / 409$/)).toBe(0);
    // Real (small) backoff with jitter here: zero-delay retries would all land inside the other client's write.
    const retry = { retries: 10, minTimeoutMs: 5, maxTimeoutMs: 50, randomize: true };
    const [one, two] = [demoClient(e, { retry }), demoClient(e, { retry })];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 === 0 ? one : two).client.createRule(jitRule(`grantops-pair-${i}`)),
      ),
    );
    expect(countOf(e, /^POST \/policies\/v2\/rules 409$/)).toBeGreaterThan(0);
    expect(e.state.rules.filter((r) => r.ruleName.startsWith("grantops-"))).toHaveLength(30);
  });

  it("with 20% mixed faults (lost replies included), listRules and 50 creates still succeed exactly once", async () => {
    const e = await start({
      random: seededRandom(7),
      faults: "429=0.05,500=0.04,502=0.02,503=0.03,409=0.03,reset=0.02,lost=0.01,routes=policies",
    });
    seedRules(e, 1500);
    const { client, sleeps } = demoClient(e, {
      retry: { retries: 8, minTimeoutMs: 0, maxTimeoutMs: 0, randomize: false },
    });
    const created = [];
    for (let i = 0; i < 50; i += 1) created.push(await client.createRule(jitRule(`grantops-chaos-${i}`)));
    expect(new Set(created.map((r) => r.ruleId)).size).toBe(50);
    const rules = await client.listRules();
    expect(rules).toHaveLength(1503 + 50);
    const names = e.state.rules.map((r) => r.ruleName);
    expect(new Set(names).size).toBe(names.length);
    expect(countOf(e, /(409|429|500|502|503|reset|lost)$/)).toBeGreaterThan(5);
    expect(sleeps.every((ms) => ms === 1000)).toBe(true); // the emulator's Retry-After: 1
  });

  it("never puts the key, secret or token in an error or a log line", async () => {
    const e = await start();
    const tokens = new Set<string>();
    const recordingFetch: typeof fetch = (input, init) => {
      const auth = new Headers(init?.headers).get("authorization") ?? "";
      if (auth.startsWith("Bearer ")) tokens.add(auth.slice(7));
      return fetch(input, init);
    };
    const { client, logs } = demoClient(e, { fetch: recordingFetch });
    const errors: unknown[] = [];
    const collect = (p: Promise<unknown>) => p.catch((error: unknown) => errors.push(error));
    await collect(client.getRule(1));
    await collect(client.createRule(jitRule("x")));
    await collect(client.findIdentity("mallory@example.com"));
    e.setFaults("failNext=10:503,routes=rules");
    await collect(client.listRules());
    e.revokeTokens();
    e.setFaults("failNext=10:reset,routes=rules");
    await collect(client.getRule(700001));
    const bad = demoClient(e, { apiSecret: "wrong-secret-value" });
    await collect(bad.client.listRules());
    expect(errors).toHaveLength(6);
    expect(errors.every((error) => error instanceof VendorApiError)).toBe(true);
    expect(tokens.size).toBeGreaterThan(0);
    const secrets = [demoApiKey, demoApiSecret, "wrong-secret-value", ...tokens];
    const texts = [
      ...logs,
      ...bad.logs,
      ...errors.flatMap((error) => [String(error), JSON.stringify(error), inspect(error, { depth: 6 })]),
    ];
    for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
