import { timingSafeEqual } from "node:crypto";
import { EmulatorApiError } from "./emulator-api-error.js";
import type { RouteReply, RouteRequest } from "./emulator-runtime.js";
import { readBodyText } from "./http-io.js";

/**
 * POST /auth/v2/token: OAuth2 client credentials. HTTP Basic (key:secret) is the documented way; client_id and
 * client_secret in the form body are tolerated. 20 requests per minute per key (→ 429).
 */
export async function tokenRoute(request: RouteRequest): Promise<RouteReply> {
  const { runtime } = request;
  const form = new URLSearchParams(await readBodyText(request.req));
  const credentials = basicCredentials(request.req.headers.authorization) ?? formCredentials(form);
  if (!credentials) throw new EmulatorApiError(401, "Missing client credentials (HTTP Basic).");
  const apiKey = runtime.state.apiKeys.find((candidate) => candidate.key === credentials.key);
  if (!apiKey) throw new EmulatorApiError(401, "Invalid API key or secret.");
  const retryAfter = runtime.limiter.token(apiKey.key, runtime.clock());
  if (retryAfter !== undefined) {
    throw new EmulatorApiError(429, "Too many token requests.", { "Retry-After": String(retryAfter) });
  }
  const grantType = form.get("grant_type");
  if (grantType !== "client_credentials") {
    throw new EmulatorApiError(
      400,
      `unsupported grant_type ${JSON.stringify(grantType)}: use client_credentials`,
    );
  }
  if (!sameText(apiKey.secret, credentials.secret))
    throw new EmulatorApiError(401, "Invalid API key or secret.");
  const accessToken = runtime.tokens.issue(apiKey.key);
  return {
    status: 200,
    body: { token_type: "bearer", access_token: accessToken, expires_in: runtime.tokens.ttlSeconds },
    headers: { "Cache-Control": "no-store" },
  };
}

function basicCredentials(header: string | undefined): { key: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? "");
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function formCredentials(form: URLSearchParams): { key: string; secret: string } | undefined {
  const key = form.get("client_id");
  const secret = form.get("client_secret");
  return key && secret ? { key, secret } : undefined;
}

function sameText(expected: string, actual: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(actual);
  return a.length === b.length && timingSafeEqual(a, b);
}
