import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhooks } from "@octokit/webhooks";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { GrantopsMetrics, WebhookOutcome } from "../../observability/create-metrics.js";
import { createDeliveryCache } from "./delivery-cache.js";
import { createByteBudget, type ByteBudget } from "./byte-budget.js";
import { BodyTooLargeError, ClientClosedError, readBody, ServerBusyError } from "./read-body.js";

/** A verified GitHub webhook delivery. */
export interface WebhookEvent {
  name: string;
  id: string;
  payload: unknown;
}

export interface HealthReport {
  ready: boolean;
  details: object;
}

export interface WebhookServerOptions {
  host: string;
  port: number;
  secret: string;
  logger: Logger;
  metrics: GrantopsMetrics;
  registry: Registry;
  /** Called after the 202 was sent; must only queue work. */
  onEvent: (event: WebhookEvent) => void;
  health: () => HealthReport;
  /** Largest accepted body (default 1 MiB). */
  maxBodyBytes?: number;
  /** How many delivery ids to remember (default 10,000). */
  deliveryCacheSize?: number;
  /** Open connections at most; more are closed at once by Node (default 512). */
  maxConnections?: number;
  /** Webhook requests being read or verified at once; more get 503 (default 64). */
  maxWebhookRequests?: number;
  /** Body bytes buffered across all webhook requests at once; past it, 503 (default 16 MiB). */
  maxBufferedBytes?: number;
  /** More routes (the status page, src/daemon/http/status-routes.ts); they cannot replace the ones above. */
  extraRoutes?: Readonly<Record<string, Route>>;
}

export interface WebhookServer {
  url: string;
  /** What the server holds now: webhook requests in flight and their reserved body bytes. */
  load(): { webhookRequests: number; bufferedBytes: number };
  close(): Promise<void>;
}

const MiB = 1024 * 1024;
export const WEBHOOK_LIMITS = {
  maxConnections: 512,
  maxWebhookRequests: 64,
  maxBufferedBytes: 16 * MiB,
  retryAfterSeconds: 5,
} as const;

export type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<void> | void;

export interface Route {
  method: string;
  handler: Handler;
}

/** Starts the HTTP server: POST /webhook, GET /healthz, GET /readyz, GET /metrics. */
export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const logger = options.logger.child({ component: "webhook-server" });
  const budget = createByteBudget(options.maxBufferedBytes ?? WEBHOOK_LIMITS.maxBufferedBytes);
  const inFlight = { count: 0 };
  const routes: Record<string, Route> = {
    ...options.extraRoutes,
    "/webhook": { method: "POST", handler: createWebhookHandler(options, logger, budget, inFlight) },
    "/healthz": { method: "GET", handler: (_q, r) => sendJson(r, 200, { status: "ok" }) },
    "/readyz": { method: "GET", handler: (_q, r) => sendReadiness(r, options.health()) },
    "/metrics": { method: "GET", handler: (_q, r) => sendMetrics(r, options.registry) },
  };
  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?", 1)[0] ?? "/";
    const route = routes[path];
    if (!route) return sendJson(response, 404, { status: "not found" });
    if (request.method !== route.method && !(route.method === "GET" && request.method === "HEAD")) {
      response.setHeader("Allow", route.method);
      return sendJson(response, 405, { status: "method not allowed" });
    }
    Promise.resolve()
      .then(() => route.handler(request, response))
      .catch((error: unknown) => {
        logger.error({ err: error, path }, "request failed");
        if (!response.headersSent) sendJson(response, 500, { status: "error" });
      });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.maxConnections = options.maxConnections ?? WEBHOOK_LIMITS.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}`;
  logger.info({ url }, "listening");
  return {
    url,
    load: () => ({ webhookRequests: inFlight.count, bufferedBytes: budget.used() }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

function createWebhookHandler(
  options: WebhookServerOptions,
  logger: Logger,
  budget: ByteBudget,
  inFlight: { count: number },
): Handler {
  const verify = createVerifiedHandler(options, logger);
  const maxRequests = options.maxWebhookRequests ?? WEBHOOK_LIMITS.maxWebhookRequests;
  return async (request, response) => {
    if (inFlight.count >= maxRequests)
      return sendBusy(response, options, "too many webhook requests at once");
    inFlight.count++;
    const reservation = budget.open();
    try {
      await verify(request, response, reservation);
    } finally {
      reservation.release();
      inFlight.count--;
    }
  };
}

/** 503 with Retry-After, closing the connection (the client may be holding a large body). */
function sendBusy(response: ServerResponse, options: WebhookServerOptions, why: string): void {
  options.metrics.webhookDeliveries.inc({ event: "unverified", outcome: "busy" });
  response.setHeader("Retry-After", String(WEBHOOK_LIMITS.retryAfterSeconds));
  response.setHeader("Connection", "close");
  sendJson(response, 503, { status: "busy", reason: why });
}

type VerifiedHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  reservation: ReturnType<ByteBudget["open"]>,
) => Promise<void>;

function createVerifiedHandler(options: WebhookServerOptions, logger: Logger): VerifiedHandler {
  const webhooks = new Webhooks({ secret: options.secret, log: logger });
  const deliveries = createDeliveryCache(options.deliveryCacheSize ?? 10_000);
  const limit = options.maxBodyBytes ?? MiB;
  const count = (event: string, outcome: WebhookOutcome): void => {
    options.metrics.webhookDeliveries.inc({ event, outcome });
  };
  return async (request, response, reservation) => {
    let body: Buffer;
    try {
      body = await readBody(request, limit, reservation);
    } catch (error) {
      if (error instanceof ServerBusyError)
        return sendBusy(response, options, "too many body bytes buffered");
      if (error instanceof ClientClosedError) return;
      if (!(error instanceof BodyTooLargeError)) throw error;
      count("unverified", "too_large");
      response.setHeader("Connection", "close");
      return sendJson(response, 413, { status: "payload too large", limit });
    }
    const name = header(request, "x-github-event");
    const id = header(request, "x-github-delivery");
    const signature = header(request, "x-hub-signature-256");
    const payload = body.toString("utf8");
    if (!signature || !(await verifies(webhooks, payload, signature))) {
      count("unverified", "unauthorized");
      logger.warn({ deliveryId: id }, "webhook rejected: bad or missing signature");
      return sendJson(response, 401, { status: "unauthorized" });
    }
    const parsed = parseJson(payload);
    if (!name || !id || !/^[a-z_]{1,64}$/.test(name) || parsed === undefined) {
      count("unknown", "bad_request");
      return sendJson(response, 400, { status: "bad request" });
    }
    if (deliveries.seen(id)) {
      count(name, "duplicate");
      logger.info({ deliveryId: id, event: name }, "duplicate delivery dropped");
      return sendJson(response, 200, { status: "duplicate" });
    }
    count(name, "accepted");
    sendJson(response, 202, { status: "accepted" }, () => {
      try {
        options.onEvent({ name, id, payload: parsed });
      } catch (error) {
        logger.error({ err: error, deliveryId: id, event: name }, "event handler failed");
      }
    });
  };
}

async function verifies(webhooks: Webhooks, payload: string, signature: string): Promise<boolean> {
  if (payload.length === 0) return false;
  try {
    return await webhooks.verify(payload, signature);
  } catch {
    return false;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendReadiness(response: ServerResponse, report: HealthReport): void {
  sendJson(response, report.ready ? 200 : 503, {
    status: report.ready ? "ready" : "not ready",
    ...report.details,
  });
}

async function sendMetrics(response: ServerResponse, registry: Registry): Promise<void> {
  const text = await registry.metrics();
  response.writeHead(200, { "Content-Type": registry.contentType });
  response.end(text);
}

function sendJson(response: ServerResponse, status: number, value: object, done?: () => void): void {
  const text = `${JSON.stringify(value)}\n`;
  response.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  response.end(text, done);
}
