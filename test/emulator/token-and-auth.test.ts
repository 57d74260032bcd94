/* eslint-disable @typescript-eslint/no-unsafe-assignment -- JSON reply bodies are untyped */
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { defaultSeed } from "../../src/emulator/default-seed.js";
import { connect, demoBasic, fakeClock, fetchToken, request } from "./emulator-test-client.js";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

describe("POST /auth/v2/token", () => {
  it("issues a bearer token for HTTP Basic + grant_type=client_credentials", async () => {
    emu = await startEmulator();
    const reply = await fetchToken(emu);
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toMatch(/^application\/json/);
    expect(reply.json).toEqual({ token_type: "bearer", access_token: expect.any(String), expires_in: 3600 });
  });

  it.each([
    ["a wrong secret", basic("grantops-demo-key", "nope"), "grant_type=client_credentials", 401],
    ["an unknown key", basic("someone-else", "grantops-demo-secret"), "grant_type=client_credentials", 401],
    ["no credentials", "", "grant_type=client_credentials", 401],
    ["a malformed Basic header", "Basic !!!", "grant_type=client_credentials", 401],
    ["a wrong grant_type", demoBasic, "grant_type=password", 400],
    ["no grant_type", demoBasic, "", 400],
  ])("rejects %s with {message}", async (_name, authorization, body, status) => {
    emu = await startEmulator();
    const reply = await request(`${emu.url}/auth/v2/token`, {
      method: "POST",
      headers: {
        ...(authorization ? { authorization } : {}),
        "content-type": "application/x-www-form-urlencoded",
      },
      body,
    });
    expect(reply.status).toBe(status);
    expect(reply.json).toEqual({ message: expect.any(String) });
  });

  it("answers the 21st token request in a minute with 429, and allows it again a minute later", async () => {
    const clock = fakeClock();
    emu = await startEmulator({ clock: clock.now });
    for (let i = 0; i < 20; i++) expect((await fetchToken(emu)).status).toBe(200);
    const limited = await fetchToken(emu);
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ message: expect.any(String) });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    clock.advance(60_001);
    expect((await fetchToken(emu)).status).toBe(200);
  });
});

describe("bearer authentication and scopes", () => {
  it("answers a missing or unknown token with 401 {error, requestId}", async () => {
    emu = await startEmulator();
    for (const headers of [
      {},
      { authorization: "Bearer not-a-token" },
      { authorization: demoBasic },
    ] as Array<Record<string, string>>) {
      const reply = await request(`${emu.url}/policies/v2/rules`, { headers });
      expect(reply.status).toBe(401);
      expect(reply.json).toEqual({
        error: "Authorization token is invalid.",
        requestId: expect.stringMatching(uuid),
      });
    }
  });

  it("expires tokens after expires_in seconds", async () => {
    const clock = fakeClock();
    emu = await startEmulator({ clock: clock.now });
    const api = await connect(emu);
    expect((await api.call("GET", "/policies/v2/rules")).status).toBe(200);
    clock.advance(3600_000);
    expect((await api.call("GET", "/policies/v2/rules")).status).toBe(401);
  });

  it("uses {message} bodies on the reports API", async () => {
    emu = await startEmulator();
    const reply = await request(`${emu.url}/reports/v2/identities?limit=10`);
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({ message: "Authorization token is invalid." });
  });

  it("answers a key without the route's scope with 403, and lets :write imply :read", async () => {
    const seed = defaultSeed();
    seed.apiKeys.push({ key: "reader", secret: "s3cret", scopes: ["policies.rules:read"] });
    seed.apiKeys.push({ key: "writer", secret: "s3cret", scopes: ["policies.rules:write"] });
    emu = await startEmulator({ seed });
    const reader = await connect(emu, basic("reader", "s3cret"));
    expect((await reader.call("GET", "/policies/v2/rules")).status).toBe(200);
    const denied = await reader.call("DELETE", "/policies/v2/rules/700001");
    expect(denied.status).toBe(403);
    expect(denied.json).toEqual({ error: "Not Authorized", requestId: expect.stringMatching(uuid) });
    const identities = await reader.call("GET", "/reports/v2/identities?limit=5");
    expect(identities.status).toBe(403);
    expect(identities.json).toEqual({ message: "Not Authorized" });
    const writer = await connect(emu, basic("writer", "s3cret"));
    expect((await writer.call("GET", "/policies/v2/rules")).status).toBe(200);
  });

  it("invalidates tokens on revokeTokens()", async () => {
    emu = await startEmulator();
    const api = await connect(emu);
    emu.revokeTokens();
    expect((await api.call("GET", "/policies/v2/rules")).status).toBe(401);
  });

  it("answers unknown vendor paths 404 and wrong methods 405", async () => {
    emu = await startEmulator();
    const api = await connect(emu);
    const missing = await api.call("GET", "/policies/v2/nothing");
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: "Not Found", requestId: expect.stringMatching(uuid) });
    expect((await api.call("PATCH", "/policies/v2/rules/700001", {})).status).toBe(405);
  });
});
