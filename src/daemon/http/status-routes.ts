// GET /status (HTML) and GET /status.json: who has access to what, for people and for `grantops status --serve`.
// Off unless configured (see StatusAccess); the answer is built from serve's memory, never from a vendor call.
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { StatusReport } from "../../core/model/status-report.js";
import { formatStatusHtml, STATUS_PAGE_STYLE } from "../../core/status/format-status-html.js";
import { isLoopbackHost, type StatusAccess } from "../read-serve-config.js";
import type { Route } from "./webhook-server.js";

export interface StatusRoutesOptions {
  access: StatusAccess;
  report: () => StatusReport;
  /** The page reloads itself this often (default 30 s). */
  refreshSeconds?: number;
}

const REALM = 'realm="grantops status"';

/** The Content-Security-Policy of the page: nothing but its own style block (by hash); no script at all. */
export const STATUS_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash("sha256").update(STATUS_PAGE_STYLE).digest("base64")}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** The status routes, or none when the page is off. */
export function createStatusRoutes(options: StatusRoutesOptions): Record<string, Route> {
  if (options.access.kind === "off") return {};
  const guard = accessGuard(options.access);
  const refreshSeconds = options.refreshSeconds ?? 30;
  return {
    "/status": {
      method: "GET",
      handler: (request, response) => {
        if (!guard(request, response)) return;
        send(response, "text/html; charset=utf-8", formatStatusHtml(options.report(), { refreshSeconds }), {
          "Content-Security-Policy": STATUS_PAGE_CSP,
          "X-Frame-Options": "DENY",
          "Referrer-Policy": "no-referrer",
        });
      },
    },
    "/status.json": {
      method: "GET",
      handler: (request, response) => {
        if (!guard(request, response)) return;
        send(response, "application/json; charset=utf-8", `${JSON.stringify(options.report(), null, 2)}\n`, {
          "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
        });
      },
    },
  };
}

type Guard = (request: IncomingMessage, response: ServerResponse) => boolean;

function accessGuard(access: Exclude<StatusAccess, { kind: "off" }>): Guard {
  switch (access.kind) {
    case "token": {
      const expected = digest(`Bearer ${access.token}`);
      return (request, response) =>
        sameDigest(digest(request.headers.authorization ?? ""), expected) ||
        unauthorized(response, `Bearer ${REALM}`);
    }
    case "basic": {
      const expected = digest(`${access.user}:${access.password}`);
      return (request, response) =>
        sameDigest(digest(basicCredentials(request.headers.authorization)), expected) ||
        unauthorized(response, `Basic ${REALM}, charset="UTF-8"`);
    }
    case "loopback":
      return (request, response) =>
        isLoopbackHost(request.socket.remoteAddress ?? "") || unauthorized(response, `Bearer ${REALM}`);
  }
}

function basicCredentials(header: string | undefined): string {
  const match = /^Basic ([A-Za-z0-9+/=]{1,1024})$/i.exec(header ?? "");
  return match?.[1] === undefined ? "" : Buffer.from(match[1], "base64").toString("utf8");
}

/** Secrets are compared as SHA-256 digests with timingSafeEqual: constant time whatever their length. */
function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

function sameDigest(a: Buffer, b: Buffer): boolean {
  return timingSafeEqual(a, b);
}

function unauthorized(response: ServerResponse, challenge: string): false {
  send(
    response,
    "application/json; charset=utf-8",
    `${JSON.stringify({ status: "unauthorized" })}\n`,
    {
      "WWW-Authenticate": challenge,
    },
    401,
  );
  return false;
}

function send(
  response: ServerResponse,
  contentType: string,
  body: string,
  headers: Record<string, string>,
  status = 200,
): void {
  response.writeHead(status, {
    "Content-Type": contentType,
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    ...headers,
  });
  response.end(body);
}
