import { afterEach, describe, expect, it } from "vitest";
import { VendorApiError } from "../../src/secure-access/vendor-api-error.js";
import { makeTestClient } from "./make-test-client.js";
import {
  ruleJson,
  startScriptedServer,
  TEST_KEY,
  TEST_SECRET,
  tokenReply,
  withTokens,
  type RecordedRequest,
  type ScriptedServer,
} from "./scripted-server.js";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const tokenRequests = (s: ScriptedServer): RecordedRequest[] =>
  s.requests.filter((r) => r.pathname === "/auth/v2/token");
const apiRequests = (s: ScriptedServer): RecordedRequest[] =>
  s.requests.filter((r) => r.pathname !== "/auth/v2/token");

describe("token", () => {
  it("uses HTTP Basic and a client_credentials form body, then Bearer on API calls", async () => {
    server = await startScriptedServer(withTokens(() => ({ status: 200, body: ruleJson(7) })));
    const { client } = makeTestClient(server.url);
    await client.getRule(7);
    const [token] = tokenRequests(server);
    expect(token?.method).toBe("POST");
    expect(token?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${TEST_KEY}:${TEST_SECRET}`).toString("base64")}`,
    );
    expect(token?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(token?.body).toBe("grant_type=client_credentials");
    expect(apiRequests(server)[0]?.headers.authorization).toBe("Bearer tok-1");
  });

  it("caches the token for many requests, and concurrent first callers share one token request", async () => {
    server = await startScriptedServer(withTokens(() => ({ status: 200, body: ruleJson(7) })));
    const { client } = makeTestClient(server.url);
    await Promise.all(Array.from({ length: 10 }, () => client.getRule(7)));
    for (let i = 0; i < 5; i += 1) await client.getRule(7);
    expect(tokenRequests(server)).toHaveLength(1);
    expect(apiRequests(server)).toHaveLength(15);
  });

  it.each([
    { advanceS: 3539, tokens: 1 },
    { advanceS: 3541, tokens: 2 },
  ])(
    "refreshes 60 s before expires_in (advance $advanceS s → $tokens token calls)",
    async ({ advanceS, tokens }) => {
      server = await startScriptedServer(withTokens(() => ({ status: 200, body: ruleJson(7) })));
      let now = 1_000_000;
      const { client } = makeTestClient(server.url, { now: () => now });
      await client.getRule(7);
      now += advanceS * 1000;
      await client.getRule(7);
      expect(tokenRequests(server)).toHaveLength(tokens);
      expect(apiRequests(server).at(-1)?.headers.authorization).toBe(`Bearer tok-${tokens}`);
    },
  );

  it("on a 401 from an API call refetches the token once and retries the call once", async () => {
    server = await startScriptedServer(
      withTokens((request) =>
        request.headers.authorization === "Bearer tok-1"
          ? { status: 401, body: { error: "Authorization token is invalid.", requestId: "r-1" } }
          : { status: 200, body: ruleJson(7) },
      ),
    );
    const { client } = makeTestClient(server.url);
    const rule = await client.getRule(7);
    expect(rule.ruleId).toBe(7);
    expect(tokenRequests(server)).toHaveLength(2);
    expect(apiRequests(server).map((r) => r.headers.authorization)).toEqual(["Bearer tok-1", "Bearer tok-2"]);
  });

  it("a second 401 fails with VENDOR_HTTP_401 after exactly two calls and two tokens", async () => {
    server = await startScriptedServer(
      withTokens(() => ({
        status: 401,
        body: { error: "Authorization token is invalid.", requestId: "r-9" },
      })),
    );
    const { client } = makeTestClient(server.url);
    const error = await client.getRule(7).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorApiError);
    expect(error).toMatchObject({ code: "VENDOR_HTTP_401", status: 401, requestId: "r-9", retryable: false });
    expect(apiRequests(server)).toHaveLength(2);
    expect(tokenRequests(server)).toHaveLength(2);
  });

  it("a rejected key fails with TOKEN_FAILED at once (no retry) and names the env variables", async () => {
    server = await startScriptedServer(() => ({
      status: 401,
      body: { message: "Invalid client credentials" },
    }));
    const { client } = makeTestClient(server.url);
    const error = await client.listRules().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "TOKEN_FAILED",
      status: 401,
      vendorMessage: "Invalid client credentials",
    });
    expect((error as Error).message).toContain("GRANTOPS_<CREDENTIALS>_API_KEY");
    expect(server.requests).toHaveLength(1);
  });

  it("retries the token request on 429/503, and the API call is not retried again on top", async () => {
    server = await startScriptedServer((request, index) => {
      if (request.pathname === "/auth/v2/token") {
        return index < 2
          ? { status: index === 0 ? 429 : 503, body: { message: "slow down" } }
          : tokenReply(1);
      }
      return { status: 200, body: ruleJson(7) };
    });
    const { client } = makeTestClient(server.url);
    await client.getRule(7);
    expect(tokenRequests(server)).toHaveLength(3);

    await server.close();
    server = await startScriptedServer(() => ({ status: 503, body: { message: "down" } }));
    const failing = makeTestClient(server.url);
    const error = await failing.client.getRule(7).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "TOKEN_FAILED", status: 503 });
    expect(server.requests).toHaveLength(4); // 1 + 3 retries, not 4 × 4
  });

  it.each([
    { name: "no access_token", body: { token_type: "bearer", expires_in: 3600 } },
    { name: "not JSON", body: "<html>oops</html>" },
  ])("a 200 token body with $name is TOKEN_FAILED", async ({ body }) => {
    server = await startScriptedServer(() => ({ status: 200, body }));
    const { client } = makeTestClient(server.url);
    await expect(client.getRule(1)).rejects.toMatchObject({ code: "TOKEN_FAILED" });
  });
});
