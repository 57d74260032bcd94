import type { ClientSettings } from "./client-settings.js";
import { redactSecrets } from "./redact-secrets.js";
import { VendorApiError } from "./vendor-api-error.js";
import { errorMessage } from "../core/model/error-message.js";

export interface HttpRequest {
  method: string;
  url: string;
  /** Path only, for errors. */
  path: string;
  /** Templated path, for metrics (e.g. /policies/v2/rules/{ruleId}). */
  route: string;
  headers: Record<string, string>;
  body?: string;
  attempt: number;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  url: string;
}

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * One HTTP exchange with a per-request timeout. GET redirects (3xx + Location) are followed here, keeping
 * the headers (Authorization included, docs/vendor-client.md, vendor API facts), but never from https to http. Transport failures
 * become VendorApiError VENDOR_NETWORK / VENDOR_TIMEOUT (retryable) or VENDOR_ABORTED.
 */
export async function sendHttp(settings: ClientSettings, request: HttpRequest): Promise<HttpResponse> {
  const timeout = AbortSignal.timeout(settings.timeoutMs);
  const signal = settings.signal ? AbortSignal.any([timeout, settings.signal]) : timeout;
  const started = performance.now();
  let status: number | "error" = "error";
  try {
    const response = await fetchFollowingRedirects(settings, request, signal);
    status = response.status;
    return response;
  } catch (error) {
    throw transportError(settings, request, error, timeout.aborted);
  } finally {
    const ms = Math.round(performance.now() - started);
    const info = { method: request.method, route: request.route, status, attempt: request.attempt, ms };
    settings.onRequest(info);
    settings.logger.debug(info, "secure access request");
  }
}

async function fetchFollowingRedirects(
  settings: ClientSettings,
  request: HttpRequest,
  signal: AbortSignal,
): Promise<HttpResponse> {
  let url = request.url;
  for (let hop = 0; ; hop += 1) {
    const response = await settings.fetch(url, {
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
      redirect: "manual",
      signal,
    });
    const location = response.headers.get("location");
    if (request.method !== "GET" || !REDIRECT_STATUSES.has(response.status) || location === null) {
      return { status: response.status, headers: response.headers, text: await response.text(), url };
    }
    await response.body?.cancel();
    if (hop >= MAX_REDIRECTS) throw new RedirectError(`more than ${MAX_REDIRECTS} redirects`);
    const next = nextRedirectUrl(url, location);
    if (next === null)
      throw new RedirectError("refusing an invalid redirect or one from https to a non-https URL");
    url = next;
  }
}

class RedirectError extends Error {}

/** Resolves a redirect target; null when invalid or when it would send the token from https to plain http. */
export function nextRedirectUrl(from: string, location: string): string | null {
  if (!URL.canParse(location, from)) return null;
  const target = new URL(location, from);
  return new URL(from).protocol === "https:" && target.protocol !== "https:" ? null : target.toString();
}

function transportError(
  settings: ClientSettings,
  request: HttpRequest,
  error: unknown,
  timedOut: boolean,
): VendorApiError {
  const where = `Secure Access ${request.method} ${request.path}`;
  const details = { method: request.method, path: request.path, cause: error };
  if (error instanceof VendorApiError) return error;
  if (error instanceof RedirectError) {
    return new VendorApiError("VENDOR_BAD_RESPONSE", `${where}: ${error.message}`, details);
  }
  if (timedOut) {
    return new VendorApiError("VENDOR_TIMEOUT", `${where} timed out after ${settings.timeoutMs} ms`, {
      ...details,
      retryable: true,
    });
  }
  if (settings.signal?.aborted) {
    return new VendorApiError("VENDOR_ABORTED", `${where} was aborted`, details);
  }
  const reason = redactSecrets(networkReason(error), settings.secrets);
  return new VendorApiError("VENDOR_NETWORK", `${where} failed: network error (${reason})`, {
    ...details,
    retryable: true,
  });
}

/** "ECONNRESET", "ECONNREFUSED", "other side closed"... from fetch's TypeError and its cause. */
function networkReason(error: unknown): string {
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return errorMessage(error);
}
