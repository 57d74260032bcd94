// Unauthenticated load on the webhook port (issue 11): 1,000 connections each declaring a 1 MiB body, sending
// 256 KiB of it and stalling. Bodies are buffered before the signature check, so without a cap RSS grows with
// the number of connections; with the caps (connections, webhook requests, buffered bytes) it stays bounded.
// The server runs with its production defaults; the clients run in the same process and hold almost nothing.
import { connect, type Socket } from "node:net";
import { pino } from "pino";
import { Registry } from "prom-client";
import { createMetrics } from "../src/observability/create-metrics.js";
import { startWebhookServer, WEBHOOK_LIMITS } from "../src/daemon/http/webhook-server.js";

const CONNECTIONS = 1000;
const MiB = 1024 * 1024;
const SENT = 256 * 1024;
const TARGET_MIB = 96;

export async function runWebhookLoadBench(): Promise<Record<string, string | number>> {
  const registry = new Registry();
  const server = await startWebhookServer({
    host: "127.0.0.1",
    port: 0,
    secret: "bench-webhook-secret-0123456789",
    logger: pino({ level: "silent" }),
    metrics: createMetrics(registry),
    registry,
    onEvent: () => undefined,
    health: () => ({ ready: true, details: {} }),
  });
  const { hostname, port } = new URL(server.url);
  const sockets: Socket[] = [];
  const statuses = new Map<string, number>();
  try {
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    for (let i = 0; i < CONNECTIONS; i++) {
      sockets.push(slowPost(hostname, Number(port), statuses));
      if (i % 50 === 0) await settle(20);
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    for (let i = 0; i < 20; i++) {
      await settle(100);
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    const health = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(5000) }).then(
      (response) => response.status,
      () => 0,
    );
    const growth = Math.round(((peak - before) / MiB) * 10) / 10;
    const figures = {
      "webhook slow connections opened": CONNECTIONS,
      "webhook bytes buffered at the end": server.load().bufferedBytes,
      "webhook buffered-bytes cap": WEBHOOK_LIMITS.maxBufferedBytes,
      "webhook 503 answers": statuses.get("503") ?? 0,
      "webhook healthz status under load": health,
      [`webhook RSS growth under ${CONNECTIONS} slow connections, MiB (target <= ${TARGET_MIB})`]: growth,
    };
    for (const [label, value] of Object.entries(figures)) console.log(`${label}: ${value}`);
    return figures;
  } finally {
    for (const socket of sockets) socket.destroy();
    await server.close();
  }
}

function slowPost(host: string, port: number, statuses: Map<string, number>): Socket {
  const socket = connect({ host, port });
  socket.on("error", () => undefined);
  socket.once("data", (chunk) => {
    const status = /^HTTP\/1\.1 (\d{3})/.exec(chunk.toString("latin1"))?.[1] ?? "other";
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  });
  socket.write(
    `POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
      `X-GitHub-Event: push\r\nX-GitHub-Delivery: bench\r\nContent-Length: ${MiB}\r\n\r\n`,
  );
  socket.write(Buffer.alloc(SENT, 0x20));
  return socket;
}

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
