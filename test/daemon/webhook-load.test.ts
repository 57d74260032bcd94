// Anyone on the network reaches the webhook port before any signature check: 150 connections each holding part of
// a 1 MiB body must not make the server buffer 150 MiB. The total buffered stays under the cap, the next request
// gets 503 with Retry-After, and /healthz keeps answering. Real sockets on 127.0.0.1.
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { Registry } from "prom-client";
import { createMetrics } from "../../src/observability/create-metrics.js";
import { startWebhookServer, type WebhookServer } from "../../src/daemon/http/webhook-server.js";
import { TEST_SECRET } from "./webhook-examples.js";

const MiB = 1024 * 1024;
const CAP = 8 * MiB;
let server: WebhookServer | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await server?.close();
  server = undefined;
});

async function start(): Promise<{ host: string; port: number; url: string }> {
  const registry = new Registry();
  server = await startWebhookServer({
    host: "127.0.0.1",
    port: 0,
    secret: TEST_SECRET,
    logger: pino({ level: "silent" }),
    metrics: createMetrics(registry),
    registry,
    onEvent: () => undefined,
    health: () => ({ ready: true, details: {} }),
    maxBufferedBytes: CAP,
    maxWebhookRequests: 1000,
  });
  const url = new URL(server.url);
  return { host: url.hostname, port: Number(url.port), url: server.url };
}

/** Opens a connection that declares a 1 MiB body, sends `part` bytes of it and then stalls; collects the reply. */
function slowPost(host: string, port: number, part: number): { socket: Socket; reply: Promise<string> } {
  const socket = connect({ host, port });
  sockets.push(socket);
  let text = "";
  const reply = new Promise<string>((resolve) => {
    socket.on("data", (chunk) => (text += chunk.toString("latin1")));
    socket.on("close", () => resolve(text));
    socket.on("error", () => resolve(text));
  });
  socket.write(
    `POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
      `X-GitHub-Event: push\r\nX-GitHub-Delivery: d\r\nContent-Length: ${MiB}\r\n\r\n`,
  );
  socket.write(Buffer.alloc(part, 0x20));
  return { socket, reply };
}

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("webhook server under unauthenticated load", () => {
  it("150 slow 1 MiB bodies: buffered bytes stay under the cap, the rest get 503 + Retry-After, healthz answers", async () => {
    const { host, port, url } = await start();
    const posts = Array.from({ length: 150 }, () => slowPost(host, port, 64 * 1024));
    await settle(300);
    const load = server?.load();
    expect(load?.bufferedBytes).toBeLessThanOrEqual(CAP);
    expect(load?.webhookRequests).toBeLessThanOrEqual(CAP / MiB);

    const next = slowPost(host, port, 10);
    const answer = await next.reply;
    expect(answer).toMatch(/^HTTP\/1\.1 503 /);
    expect(answer).toMatch(/\r\nRetry-After: \d+\r\n/i);

    const health = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
    expect(health.status).toBe(200);

    // The refused ones were answered and closed, not held: only the admitted ones are still open.
    const refused = (
      await Promise.all(posts.map((post) => Promise.race([post.reply, settle(50).then(() => "")])))
    ).filter((text) => text.startsWith("HTTP/1.1 503"));
    expect(refused.length).toBeGreaterThanOrEqual(150 - CAP / MiB);

    // Clients that go away release what they reserved.
    for (const post of posts) post.socket.destroy();
    await settle(200);
    expect(server?.load()).toEqual({ webhookRequests: 0, bufferedBytes: 0 });
  });

  it("a streamed body (no Content-Length) is counted chunk by chunk against the cap", async () => {
    const { host, port } = await start();
    const socket = connect({ host, port });
    sockets.push(socket);
    let text = "";
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    socket.on("data", (chunk) => (text += chunk.toString("latin1")));
    socket.on("error", () => undefined);
    socket.write("POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n");
    const chunk = 256 * 1024;
    for (let i = 0; i < 3; i++) socket.write(`${chunk.toString(16)}\r\n${" ".repeat(chunk)}\r\n`);
    const others = Array.from({ length: 8 }, () => slowPost(host, port, 1024));
    await settle(300);
    expect(server?.load().bufferedBytes).toBeLessThanOrEqual(CAP);
    const replies = await Promise.all(
      others.map((post) => Promise.race([post.reply, settle(200).then(() => "")])),
    );
    expect(replies.some((reply) => reply.startsWith("HTTP/1.1 503"))).toBe(true);
    socket.destroy();
    await closed;
    await settle(100);
    expect(
      server?.load().bufferedBytes,
      `released; stream got ${JSON.stringify(text.slice(0, 12))}`,
    ).toBeLessThan(CAP);
  });
});
