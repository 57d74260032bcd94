// Access to serve's status routes over real HTTP on loopback: off unless configured, bearer token, basic auth,
// loopback-only; the settings that configure them (read-serve-config) and that never print a secret.
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { Registry } from "prom-client";
import { createMetrics } from "../../src/observability/create-metrics.js";
import { startWebhookServer, type WebhookServer } from "../../src/daemon/http/webhook-server.js";
import { createStatusRoutes } from "../../src/daemon/http/status-routes.js";
import { readServeConfig, type StatusAccess } from "../../src/daemon/read-serve-config.js";
import { statusOf } from "../../src/core/status/status-of.js";

let server: WebhookServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const report = () =>
  statusOf(
    {
      source: "serve",
      organizations: [],
      journal: [],
      runs: [],
      nextWakeAt: null,
      health: null,
      repository: null,
      withinMs: 3_600_000,
    },
    new Date("2026-03-02T09:00:00Z"),
  );

async function start(access: StatusAccess): Promise<string> {
  const registry = new Registry();
  server = await startWebhookServer({
    host: "127.0.0.1",
    port: 0,
    secret: "status-routes-webhook-secret",
    logger: pino({ level: "silent" }),
    metrics: createMetrics(registry),
    registry,
    onEvent: () => undefined,
    health: () => ({ ready: true, details: {} }),
    extraRoutes: createStatusRoutes({ access, report }),
  });
  return server.url;
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe("status routes", () => {
  it("are off (404) unless configured", async () => {
    const url = await start({ kind: "off" });
    expect((await fetch(`${url}/status`)).status).toBe(404);
    expect((await fetch(`${url}/status.json`)).status).toBe(404);
  });

  it("with basic auth: 401 and a Basic challenge unless user and password both match", async () => {
    const url = await start({ kind: "basic", user: "ops", password: "correct horse battery" });
    for (const authorization of [
      undefined,
      basic("ops", "wrong"),
      basic("op", "correct horse battery"),
      "Basic !!",
    ]) {
      const response = await fetch(`${url}/status.json`, {
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Basic realm="grantops status", charset="UTF-8"');
    }
    const ok = await fetch(`${url}/status.json`, {
      headers: { authorization: basic("ops", "correct horse battery") },
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { version: number }).version).toBe(1);
  });

  it("with a token: the page carries a strict CSP, no-store and nosniff", async () => {
    const url = await start({ kind: "token", token: "0123456789abcdef-token" });
    const response = await fetch(`${url}/status`, {
      headers: { authorization: "Bearer 0123456789abcdef-token" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("content-security-policy")).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/,
    );
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await response.text()).toContain('<meta http-equiv="refresh" content="30">');
  });

  it("loopback-only: open to this machine", async () => {
    const url = await start({ kind: "loopback" });
    expect((await fetch(`${url}/status`)).status).toBe(200);
  });
});

describe("status settings of serve", () => {
  const env = { GRANTOPS_REPO: "/srv/grants", GRANTOPS_WEBHOOK_SECRET: "webhook-secret-for-status-tests" };
  const read = (extra: Record<string, string>, flags: { host?: string } = {}) =>
    readServeConfig(flags, { ...env, ...extra }, () => "");

  it("are off by default, and a token, credentials or loopback turn the page on", () => {
    expect(read({}).statusAccess).toEqual({ kind: "off" });
    expect(read({ GRANTOPS_STATUS_TOKEN: "0123456789abcdef" }).statusAccess.kind).toBe("token");
    expect(read({ GRANTOPS_STATUS_USER: "ops", GRANTOPS_STATUS_PASSWORD: "pw" }).statusAccess.kind).toBe(
      "basic",
    );
    expect(read({ GRANTOPS_STATUS_LOOPBACK: "1" }).statusAccess.kind).toBe("loopback");
  });

  it("refuse loopback access on a public bind, a short token, half credentials, or both kinds", () => {
    expect(() => read({ GRANTOPS_STATUS_LOOPBACK: "1" }, { host: "0.0.0.0" })).toThrow(
      /needs a loopback --host/,
    );
    expect(() => read({ GRANTOPS_STATUS_TOKEN: "short" })).toThrow(/at least 16 characters/);
    expect(() => read({ GRANTOPS_STATUS_USER: "ops" })).toThrow(/set both/);
    expect(() =>
      read({
        GRANTOPS_STATUS_TOKEN: "0123456789abcdef",
        GRANTOPS_STATUS_USER: "a",
        GRANTOPS_STATUS_PASSWORD: "b",
      }),
    ).toThrow(/not both/);
  });

  it("never print the token or the password", () => {
    const config = read({ GRANTOPS_STATUS_USER: "ops", GRANTOPS_STATUS_PASSWORD: "hunter2-secret" });
    expect(JSON.stringify(config)).not.toContain("hunter2-secret");
    expect(inspect(config)).not.toContain("hunter2-secret");
    const tokenConfig = read({ GRANTOPS_STATUS_TOKEN: "0123456789abcdef-tok" });
    expect(
      `${(tokenConfig as { toString(): string }).toString()} ${JSON.stringify(tokenConfig)}`,
    ).not.toContain("0123456789abcdef-tok");
  });
});
