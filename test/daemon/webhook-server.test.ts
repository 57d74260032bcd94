import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { Registry } from "prom-client";
import { createMetrics } from "../../src/observability/create-metrics.js";
import {
  startWebhookServer,
  type WebhookEvent,
  type WebhookServer,
} from "../../src/daemon/http/webhook-server.js";
import { TEST_SECRET, deliver, example } from "./webhook-examples.js";

const logger = pino({ level: "silent" });
let server: WebhookServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: { ready?: boolean; maxBodyBytes?: number } = {}) {
  const events: WebhookEvent[] = [];
  const registry = new Registry();
  const metrics = createMetrics(registry);
  server = await startWebhookServer({
    host: "127.0.0.1",
    port: 0,
    secret: TEST_SECRET,
    logger,
    metrics,
    registry,
    onEvent: (event) => events.push(event),
    health: () => ({ ready: options.ready ?? true, details: { lastOutcome: "success" } }),
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
  });
  return { url: server.url, events, registry };
}

const waitFor = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((r) => setTimeout(r, 5));
};

describe("startWebhookServer", () => {
  it("accepts a correctly signed real push payload with 202 and hands it on after responding", async () => {
    const { url, events } = await start();
    const payload = example("push", (p) => p["ref"] === "refs/heads/master");
    const result = await deliver(url, "push", payload);
    expect(result).toMatchObject({ status: 202, body: { status: "accepted" } });
    await waitFor(() => events.length > 0);
    expect(events).toEqual([{ name: "push", id: result.id, payload }]);
  });

  it.each([
    ["a missing signature", null],
    ["a malformed signature", "sha256=nothex"],
    ["a signature made with another secret", undefined],
  ])("rejects %s with 401", async (_label, signature) => {
    const { url, events } = await start();
    const result = await deliver(url, "pull_request", example("pull_request"), {
      ...(signature === undefined ? { secret: "wrong-secret" } : { signature }),
    });
    expect(result).toMatchObject({ status: 401, body: { status: "unauthorized" } });
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual([]);
  });

  it("drops a replayed delivery id with 200 duplicate and calls onEvent once", async () => {
    const { url, events, registry } = await start();
    const payload = example("pull_request_review");
    const first = await deliver(url, "pull_request_review", payload, { id: "replayed-1" });
    const second = await deliver(url, "pull_request_review", payload, { id: "replayed-1" });
    expect(first.status).toBe(202);
    expect(second).toMatchObject({ status: 200, body: { status: "duplicate" } });
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toHaveLength(1);
    const text = await registry.metrics();
    expect(text).toContain(
      'grantops_webhook_deliveries_total{event="pull_request_review",outcome="duplicate"} 1',
    );
  });

  it("does not let an unsigned request poison the delivery cache", async () => {
    const { url, events } = await start();
    const payload = example("ping");
    await deliver(url, "ping", payload, { id: "poison", signature: null });
    const result = await deliver(url, "ping", payload, { id: "poison" });
    expect(result.status).toBe(202);
    await waitFor(() => events.length > 0);
    expect(events).toHaveLength(1);
  });

  it("answers 400 to a signed body that is not JSON", async () => {
    const { url } = await start();
    const { Webhooks } = await import("@octokit/webhooks");
    const body = "not json";
    const response = await fetch(`${url}/webhook`, {
      method: "POST",
      headers: {
        "x-github-event": "push",
        "x-github-delivery": "x1",
        "x-hub-signature-256": await new Webhooks({ secret: TEST_SECRET }).sign(body),
      },
      body,
    });
    expect(response.status).toBe(400);
  });

  it.each([
    ["with a Content-Length", false],
    ["chunked", true],
  ])("answers 413 to a body over the limit (%s) without reading it all", async (_label, chunked) => {
    const { url, events } = await start({ maxBodyBytes: 1024 * 1024 });
    const status = await postLarge(`${url}/webhook`, 3 * 1024 * 1024, chunked);
    expect(status).toBe(413);
    expect(events).toEqual([]);
  });

  it("serves /healthz, /readyz and /metrics", async () => {
    const { url } = await start();
    const health = await fetch(`${url}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: "ok" }]);
    const ready = await fetch(`${url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: "ready", lastOutcome: "success" }]);
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get("content-type")).toContain("text/plain");
    const text = await metrics.text();
    expect(text).toContain("grantops_reconcile_runs_total");
    expect(text).toContain("process_cpu_user_seconds_total");
  });

  it("answers 503 on /readyz when not ready", async () => {
    const { url } = await start({ ready: false });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: "not ready" });
  });

  it.each([
    ["GET", "/webhook", 405],
    ["POST", "/healthz", 405],
    ["DELETE", "/metrics", 405],
    ["GET", "/nope", 404],
    ["POST", "/webhooks", 404],
  ])("%s %s → %i", async (method, path, expected) => {
    const { url } = await start();
    const response = await fetch(`${url}${path}`, { method });
    expect(response.status).toBe(expected);
    await response.arrayBuffer();
  });
});

/** Posts `size` bytes with node:http, stopping the upload once the answer arrives; resolves with its status. */
function postLarge(url: string, size: number, chunked: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { "x-github-event": "push", "x-github-delivery": "big" };
    if (!chunked) headers["content-length"] = size;
    const req = request(url, { method: "POST", headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
      req.destroy();
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (!["EPIPE", "ECONNRESET"].includes(error.code ?? "")) reject(error);
    });
    const chunk = Buffer.alloc(64 * 1024, "a");
    let sent = 0;
    const pump = (): void => {
      while (sent < size && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}
