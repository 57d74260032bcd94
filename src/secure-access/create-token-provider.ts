import type { ClientSettings } from "./client-settings.js";
import { httpError } from "./http-error.js";
import { toInteger } from "./lenient-values.js";
import { parseJsonObject } from "./parse-json-object.js";
import { sendHttp, type HttpRequest } from "./send-http.js";
import { VendorApiError } from "./vendor-api-error.js";
import { withVendorRetry } from "./with-vendor-retry.js";

export interface TokenProvider {
  /** A valid bearer token: cached until 60 s before expiry; concurrent callers share one request. */
  get(): Promise<string>;
  /** Drops `token` from the cache (after a 401), unless a newer one replaced it already. */
  invalidate(token: string): void;
}

export const TOKEN_PATH = "/auth/v2/token";
const REFRESH_MARGIN_MS = 60_000;
const DEFAULT_EXPIRES_IN_S = 3600;

/** OAuth 2.0 client credentials (HTTP Basic, form body) against /auth/v2/token (docs/vendor-client.md, vendor API facts). */
export function createTokenProvider(settings: ClientSettings): TokenProvider {
  let cached: { token: string; refreshAt: number } | null = null;
  let inFlight: Promise<string> | null = null;

  const fetchToken = async (): Promise<string> => {
    const { token, expiresInS } = await requestToken(settings);
    rememberSecret(settings, token);
    const lifetimeMs = expiresInS * 1000;
    cached = { token, refreshAt: settings.now() + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2) };
    return token;
  };

  return {
    get() {
      if (cached !== null && settings.now() < cached.refreshAt) return Promise.resolve(cached.token);
      inFlight ??= fetchToken().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
    invalidate(token) {
      if (cached?.token === token) cached = null;
    },
  };
}

/** Keeps the current and previous tokens in the redaction list (bounded for long-running processes). */
function rememberSecret(settings: ClientSettings, token: string): void {
  const base = settings.secrets.slice(0, 3);
  const tokens = settings.secrets.slice(3).slice(-1);
  settings.secrets.splice(0, settings.secrets.length, ...base, ...tokens, token);
}

async function requestToken(settings: ClientSettings): Promise<{ token: string; expiresInS: number }> {
  const label = { method: "POST", path: TOKEN_PATH, route: TOKEN_PATH };
  try {
    return await withVendorRetry(settings, label, async (attempt) => {
      const request: HttpRequest = {
        ...label,
        url: `${settings.baseUrl}${TOKEN_PATH}`,
        attempt,
        headers: {
          authorization: `Basic ${Buffer.from(`${settings.apiKey}:${settings.apiSecret}`).toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
        },
        body: "grant_type=client_credentials",
      };
      const response = await sendHttp(settings, request);
      if (response.status < 200 || response.status > 299)
        throw httpError(settings, request, response, "TOKEN_FAILED");
      return parseTokenBody(response.text);
    });
  } catch (error) {
    throw asTokenError(error);
  }
}

function parseTokenBody(text: string): { token: string; expiresInS: number } {
  const body = parseJsonObject(text);
  const token = body?.["access_token"];
  if (typeof token !== "string" || token === "") {
    throw new VendorApiError("TOKEN_FAILED", "Secure Access token response has no access_token", {
      method: "POST",
      path: TOKEN_PATH,
      status: 200,
    });
  }
  const expiresIn = toInteger(body?.["expires_in"]);
  return { token, expiresInS: expiresIn !== null && expiresIn > 0 ? expiresIn : DEFAULT_EXPIRES_IN_S };
}

function asTokenError(error: unknown): VendorApiError {
  if (error instanceof VendorApiError && error.code === "TOKEN_FAILED") {
    if (error.status === 401 || error.status === 403) {
      const { status, method, path, requestId, vendorMessage } = error;
      return new VendorApiError(
        "TOKEN_FAILED",
        `${error.message}; check the API key and secret (GRANTOPS_<CREDENTIALS>_API_KEY / _API_SECRET)`,
        { status, method, path, requestId, vendorMessage, cause: error },
      );
    }
    return error;
  }
  const inner = error instanceof VendorApiError ? error : null;
  return new VendorApiError(
    "TOKEN_FAILED",
    `Could not get a Secure Access token: ${inner?.message ?? "unexpected error"}`,
    {
      method: "POST",
      path: TOKEN_PATH,
      status: inner?.status ?? null,
      retryable: inner?.retryable ?? false,
      cause: error,
    },
  );
}
