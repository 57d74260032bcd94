import { afterEach, describe, expect, it } from "vitest";
import { makeTestClient } from "./make-test-client.js";
import {
  ruleJson,
  startScriptedServer,
  withTokens,
  type Reply,
  type ScriptedServer,
} from "./scripted-server.js";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const apiCount = (s: ScriptedServer): number =>
  s.requests.filter((r) => r.pathname !== "/auth/v2/token").length;
const ok: Reply = { status: 200, body: ruleJson(42) };
const input = {
  ruleName: "grantops-x",
  ruleAction: "allow" as const,
  ruleConditions: [],
  ruleSettings: [],
};

describe("retries (p-retry, zero delays in tests)", () => {
  it.each<{ name: string; fail: Reply }>([
    {
      name: "409 ruleset locked",
      fail: { status: 409, body: { error: "ruleset is locked", requestId: "q" } },
    },
    { name: "409 without body", fail: { status: 409 } },
    { name: "429", fail: { status: 429, body: { message: "Too Many Requests" } } },
    { name: "500", fail: { status: 500, body: { error: "Internal Server Error" } } },
    { name: "502 html", fail: { status: 502, body: "<html>bad gateway</html>" } },
    { name: "503", fail: { status: 503 } },
    { name: "connection reset", fail: "reset" },
  ])("createRule retries on $name: two failures then success = 3 attempts", async ({ fail }) => {
    server = await startScriptedServer(withTokens((_r, i) => (i < 2 ? fail : ok)));
    const { client, requests } = makeTestClient(server.url);
    const rule = await client.createRule(input);
    expect(rule.ruleId).toBe(42);
    expect(apiCount(server)).toBe(3);
    expect(requests.filter((r) => r.route === "/policies/v2/rules").map((r) => r.attempt)).toEqual([1, 2, 3]);
  });

  it.each([
    { status: 400, body: { error: "The organization ID is a numeric value.", requestId: "rq-1" } },
    { status: 400, body: { error: "invalid data passed. the ID's provided for identity are wrong" } },
    { status: 403, body: { error: "Not Authorized", requestId: "rq-2" } },
    { status: 404, body: { error: "Not Found" } },
    { status: 422, body: { description: "unprocessable" } },
  ])("never retries HTTP $status", async ({ status, body }) => {
    server = await startScriptedServer(withTokens(() => ({ status, body })));
    const { client } = makeTestClient(server.url);
    const error = await client.updateRule(5, { ...input, rulePriority: 3 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: `VENDOR_HTTP_${status}`, status, retryable: false, method: "PUT" });
    expect(error).toMatchObject({ path: "/policies/v2/rules/5" });
    expect(apiCount(server)).toBe(1);
  });

  it("retries 400 'invalid data passed' only when retryInvalidData is set", async () => {
    const invalid: Reply = { status: 400, body: { error: "invalid data passed. the ID's provided for ..." } };
    server = await startScriptedServer(withTokens((_r, i) => (i < 1 ? invalid : ok)));
    const { client } = makeTestClient(server.url, {
      retry: { retries: 2, minTimeoutMs: 0, maxTimeoutMs: 0, randomize: false, retryInvalidData: true },
    });
    expect((await client.createRule(input)).ruleId).toBe(42);
    expect(apiCount(server)).toBe(2);
  });

  it("gives up after `retries` + 1 attempts with the last error's details", async () => {
    server = await startScriptedServer(
      withTokens(() => ({ status: 503, body: { message: "Service Unavailable", requestId: "last-1" } })),
    );
    const { client, logs } = makeTestClient(server.url);
    const error = await client.getRule(1).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "VENDOR_HTTP_503",
      status: 503,
      vendorMessage: "Service Unavailable",
      requestId: "last-1",
      retryable: true,
      path: "/policies/v2/rules/1",
    });
    expect(apiCount(server)).toBe(4);
    expect(logs.filter((l) => l.includes('"level":"warn"'))).toHaveLength(3);
  });

  it("takes the vendor message from message, then error, then description", async () => {
    const bodies = [
      { message: "m", error: "e", description: "d" },
      { error: "e", description: "d" },
      { description: "d" },
    ];
    for (const [i, body] of bodies.entries()) {
      server = await startScriptedServer(withTokens(() => ({ status: 403, body })));
      const { client } = makeTestClient(server.url);
      await expect(client.getRule(1)).rejects.toMatchObject({ vendorMessage: ["m", "e", "d"][i] });
      await server.close();
      server = undefined;
    }
  });

  it("honours Retry-After in seconds", async () => {
    const limited: Reply = { status: 429, headers: { "retry-after": "2" }, body: { message: "slow" } };
    server = await startScriptedServer(withTokens((_r, i) => (i < 1 ? limited : ok)));
    const { client, sleeps } = makeTestClient(server.url);
    await client.getRule(42);
    expect(sleeps).toEqual([2000]);
  });

  it("honours Retry-After as an HTTP date (against the injected clock)", async () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    const limited: Reply = {
      status: 429,
      headers: { "retry-after": new Date(now + 5000).toUTCString() },
      body: { message: "slow" },
    };
    server = await startScriptedServer(withTokens((_r, i) => (i < 1 ? limited : ok)));
    const { client, sleeps } = makeTestClient(server.url, { now: () => now });
    await client.getRule(42);
    expect(sleeps).toEqual([5000]);
  });

  it("only waits the part of Retry-After that p-retry's backoff does not cover", async () => {
    const limited: Reply = { status: 429, headers: { "retry-after": "3" } };
    server = await startScriptedServer(withTokens((_r, i) => (i < 1 ? limited : ok)));
    const { client, sleeps } = makeTestClient(server.url, {
      retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 1, randomize: false },
    });
    await client.getRule(42);
    expect(sleeps).toEqual([2999]);
  });

  it("times out a request that never answers (VENDOR_TIMEOUT, retried)", async () => {
    server = await startScriptedServer(withTokens((_r, i) => (i < 1 ? { hang: true } : ok)));
    const { client } = makeTestClient(server.url, { timeoutMs: 150 });
    expect((await client.getRule(42)).ruleId).toBe(42);
    expect(apiCount(server)).toBe(2);

    const hanging = await startScriptedServer(withTokens(() => ({ hang: true })));
    try {
      const slow = makeTestClient(hanging.url, {
        timeoutMs: 100,
        retry: { retries: 1, minTimeoutMs: 0, maxTimeoutMs: 0, randomize: false },
      });
      await expect(slow.client.getRule(1)).rejects.toMatchObject({ code: "VENDOR_TIMEOUT", retryable: true });
    } finally {
      await hanging.close();
    }
  });

  it("connection resets that never stop end in VENDOR_NETWORK", async () => {
    server = await startScriptedServer(withTokens(() => "reset"));
    const { client } = makeTestClient(server.url);
    await expect(client.listRules()).rejects.toMatchObject({
      code: "VENDOR_NETWORK",
      retryable: true,
      status: null,
    });
    expect(apiCount(server)).toBe(4);
  });

  it("an unreachable host is VENDOR_NETWORK (via TOKEN_FAILED)", async () => {
    const dead = await startScriptedServer(() => ({ status: 200 }));
    const url = dead.url;
    await dead.close();
    const { client } = makeTestClient(url);
    const error = await client.listRules().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "TOKEN_FAILED" });
    expect((error as Error).message).toMatch(/network error/);
  });

  it("an aborted signal stops at once with VENDOR_ABORTED", async () => {
    server = await startScriptedServer(withTokens(() => ({ hang: true })));
    const controller = new AbortController();
    const { client } = makeTestClient(server.url, { signal: controller.signal });
    const pending = client.getRule(1).catch((e: unknown) => e);
    while (apiCount(server) === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect(await pending).toMatchObject({ code: "VENDOR_ABORTED" });
    expect(apiCount(server)).toBe(1);
  });
});
