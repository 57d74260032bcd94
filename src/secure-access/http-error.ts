import type { ClientSettings } from "./client-settings.js";
import { parseJsonObject } from "./parse-json-object.js";
import { parseRetryAfter } from "./parse-retry-after.js";
import { redactSecrets } from "./redact-secrets.js";
import type { HttpRequest, HttpResponse } from "./send-http.js";
import { VendorApiError } from "./vendor-api-error.js";

const MAX_MESSAGE_LENGTH = 300;

/** Retryable statuses: timeouts, the ruleset lock (409), rate limits (429) and server errors (5xx). */
export function isRetryableStatus(
  status: number,
  vendorMessage: string | null,
  retryInvalidData: boolean,
): boolean {
  if (status === 408 || status === 409 || status === 425 || status === 429 || status >= 500) return true;
  return status === 400 && retryInvalidData && /invalid data passed/i.test(vendorMessage ?? "");
}

/** The vendor's text: `message`, then `error`, then `description` (docs/vendor-client.md, vendor API facts); else the raw body. */
export function vendorMessageOf(text: string): { message: string | null; requestId: string | null } {
  const body = parseJsonObject(text);
  const requestId = typeof body?.["requestId"] === "string" ? body["requestId"] : null;
  for (const key of ["message", "error", "description"]) {
    const value = body?.[key];
    if (typeof value === "string" && value.trim() !== "") return { message: value.trim(), requestId };
  }
  const raw = text.trim();
  return { message: raw === "" ? null : raw, requestId };
}

/** A VendorApiError for a non-2xx response (code VENDOR_HTTP_<status>, or `code` when given). */
export function httpError(
  settings: ClientSettings,
  request: HttpRequest,
  response: HttpResponse,
  code = `VENDOR_HTTP_${response.status}`,
): VendorApiError {
  const parsed = vendorMessageOf(response.text);
  const vendorMessage =
    parsed.message === null
      ? null
      : redactSecrets(parsed.message, settings.secrets).slice(0, MAX_MESSAGE_LENGTH);
  const requestId = parsed.requestId ?? response.headers.get("x-request-id");
  const retryable = isRetryableStatus(response.status, vendorMessage, settings.retry.retryInvalidData);
  const message =
    `Secure Access ${request.method} ${request.path} failed with HTTP ${response.status}` +
    (vendorMessage === null ? "" : `: ${vendorMessage}`) +
    (requestId === null ? "" : ` (requestId ${requestId})`);
  return new VendorApiError(code, redactSecrets(message, settings.secrets), {
    status: response.status,
    method: request.method,
    path: request.path,
    requestId,
    vendorMessage,
    retryable,
    retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), settings.now()),
    attempt: request.attempt,
  });
}
