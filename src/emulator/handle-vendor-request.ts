import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { authenticate } from "./authenticate.js";
import { EmulatorApiError, errorBody, type ApiArea } from "./emulator-api-error.js";
import type { EmulatorRuntime, RouteReply } from "./emulator-runtime.js";
import type { FaultOutcome } from "./fault-spec.js";
import { sendHtml, sendJson } from "./http-io.js";
import { matchRoute, type RouteDef } from "./route-table.js";
import { vendorRoutes } from "./vendor-routes.js";

export const lockedMessage = "Ruleset is locked by another operation, please retry.";

/** What happened to a request: the status sent, or reset/timeout/lost. Used for counters and logs. */
export interface VendorOutcome {
  route: string;
  status: number | "reset" | "timeout" | "lost";
  fault: boolean;
}

/**
 * The vendor request pipeline: route → auth + scope → policies rate limit → ruleset lock (rule writes) →
 * injected latency and faults → handler. Errors are rendered in the route area's body style.
 */
export async function handleVendorRequest(
  runtime: EmulatorRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<VendorOutcome> {
  const method = req.method ?? "GET";
  const match = matchRoute(vendorRoutes, method, url.pathname);
  if (match.kind !== "route") {
    const status = match.kind === "wrongMethod" ? 405 : 404;
    sendError(
      res,
      match.area,
      new EmulatorApiError(status, status === 404 ? "Not Found" : "Method Not Allowed"),
    );
    return { route: "<unmatched>", status, fault: false };
  }
  const { route, params } = match;
  let locked = false;
  try {
    const apiKey = route.scope === undefined ? undefined : authenticate(runtime, req, route.scope);
    if (apiKey && route.area === "policies") checkRateLimit(runtime, apiKey.key);
    if (route.ruleWrite) {
      if (!runtime.lock.tryAcquire()) throw new EmulatorApiError(409, lockedMessage);
      locked = true;
    }
    const decision = runtime.faults.decide(route.groups);
    const waitMs = decision.latencyMs + (route.ruleWrite ? runtime.writeDelayMs : 0);
    if (waitMs > 0) await sleep(waitMs);
    if (decision.outcome !== undefined && decision.outcome !== "lost") {
      return {
        route: route.pattern,
        status: injectFault(runtime, route, req, res, decision.outcome),
        fault: true,
      };
    }
    const reply = await route.handle({ req, params, query: url.searchParams, apiKey, runtime });
    if (decision.outcome === "lost") {
      req.socket.destroy();
      return { route: route.pattern, status: "lost", fault: true };
    }
    sendReply(res, reply);
    return { route: route.pattern, status: reply.status, fault: false };
  } catch (error) {
    const apiError =
      error instanceof EmulatorApiError ? error : new EmulatorApiError(500, "Internal Server Error");
    sendError(res, route.area, apiError);
    return { route: route.pattern, status: apiError.status, fault: false };
  } finally {
    if (locked) runtime.lock.release();
  }
}

function checkRateLimit(runtime: EmulatorRuntime, key: string): void {
  const retryAfter = runtime.limiter.policies(key, runtime.clock());
  if (retryAfter !== undefined) {
    throw new EmulatorApiError(429, "Too Many Requests: rate limit exceeded", {
      "Retry-After": String(retryAfter),
    });
  }
}

function injectFault(
  runtime: EmulatorRuntime,
  route: RouteDef,
  req: IncomingMessage,
  res: ServerResponse,
  outcome: FaultOutcome,
): number | "reset" | "timeout" {
  if (outcome === "reset") {
    req.socket.destroy();
    return "reset";
  }
  if (outcome === "timeout") {
    holdThenDestroy(req, runtime.faults.plan.timeoutMs);
    return "timeout";
  }
  if (outcome === 502) {
    sendHtml(
      res,
      502,
      "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>\n",
    );
    return 502;
  }
  const retryAfter = runtime.faults.plan.retryAfterSeconds;
  const headers: Record<string, string> =
    outcome === 429 && retryAfter !== false ? { "Retry-After": String(retryAfter) } : {};
  sendError(
    res,
    route.area,
    new EmulatorApiError(outcome as number, faultMessage(outcome as number), headers),
  );
  return outcome as number;
}

function holdThenDestroy(req: IncomingMessage, timeoutMs: number): void {
  const timer = setTimeout(() => req.socket.destroy(), timeoutMs);
  timer.unref();
  req.socket.once("close", () => clearTimeout(timer));
}

function faultMessage(status: number): string {
  const messages: Record<number, string> = {
    409: lockedMessage,
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
  };
  return messages[status] ?? `Injected fault ${status}`;
}

function sendReply(res: ServerResponse, reply: RouteReply): void {
  sendJson(res, reply.status, reply.body, reply.headers);
}

function sendError(res: ServerResponse, area: ApiArea, error: EmulatorApiError): void {
  if (res.headersSent || res.destroyed) return;
  sendJson(res, error.status, errorBody(area, error.message, randomUUID()), error.headers);
}
