import { AbortError } from "p-retry";
import { badResponse } from "./bad-response.js";
import type { ClientSettings } from "./client-settings.js";
import type { TokenProvider } from "./create-token-provider.js";
import { httpError } from "./http-error.js";
import { asRecord } from "./lenient-values.js";
import { nextRedirectUrl, sendHttp, type HttpRequest, type HttpResponse } from "./send-http.js";
import { withVendorRetry } from "./with-vendor-retry.js";
import type { BudgetLane } from "./vendor-budget.js";

export interface ApiRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path without query, e.g. /policies/v2/rules/42. */
  path: string;
  /** Templated path for metrics, e.g. /policies/v2/rules/{ruleId}. */
  route: string;
  query?: Record<string, string | number>;
  body?: unknown;
  /** What the request spends of the policies budget (default: DELETE revoke, GET read, POST/PUT grant). */
  lane?: BudgetLane;
  /** Among waiting revokes, the smaller goes first (the rule's expiry, ms). */
  order?: number;
  /** The caller already counted the first attempt in the budget (a create waits for room before the write lock). */
  prepaid?: boolean;
  /** Follow a 200 body {"data":{"redirect":url}} (reporting API; docs/vendor-client.md, vendor API facts). */
  followBodyRedirect?: boolean;
}

export interface ApiResponse {
  status: number;
  /** Parsed JSON, or null for an empty body. */
  body: unknown;
}

export type VendorRequester = (request: ApiRequest) => Promise<ApiResponse>;

const MAX_BODY_REDIRECTS = 3;

/**
 * Authenticated JSON requests with retries (p-retry). A 401 refetches the token once and repeats the call
 * once. Non-2xx → VendorApiError; a 2xx body that is not JSON → VENDOR_BAD_RESPONSE.
 */
export function createVendorRequester(settings: ClientSettings, tokens: TokenProvider): VendorRequester {
  return (request) => {
    let reauthenticated = false;
    return withVendorRetry(settings, request, async (attempt) => {
      if (attempt > 1 || request.prepaid !== true) await spendBudget(settings, request);
      const first = await sendWithToken(settings, request, attempt, await tokenOrAbort(tokens));
      let response = first.response;
      if (response.status === 401 && !reauthenticated) {
        reauthenticated = true;
        tokens.invalidate(first.token);
        response = (await sendWithToken(settings, request, attempt, await tokenOrAbort(tokens))).response;
      }
      return finish(settings, tokens, request, attempt, response);
    });
  };
}

/** Every attempt of a policies-scope request counts in the vendor's windows (docs/vendor-client.md). */
async function spendBudget(settings: ClientSettings, request: ApiRequest): Promise<void> {
  if (!request.path.startsWith("/policies/")) return;
  try {
    await settings.budget.acquire(request.lane ?? laneOf(request.method), request.order, settings.signal);
  } catch (error) {
    throw new AbortError(error instanceof Error ? error : new Error(String(error)));
  }
}

function laneOf(method: ApiRequest["method"]): BudgetLane {
  return method === "DELETE" ? "revoke" : method === "GET" ? "read" : "grant";
}

async function tokenOrAbort(tokens: TokenProvider): Promise<string> {
  try {
    return await tokens.get();
  } catch (error) {
    // The token request has its own retries; the call does not retry them again.
    throw new AbortError(error as Error);
  }
}

async function sendWithToken(
  settings: ClientSettings,
  request: ApiRequest,
  attempt: number,
  token: string,
  url = buildUrl(settings.baseUrl, request),
): Promise<{ token: string; response: HttpResponse; http: HttpRequest }> {
  const http: HttpRequest = {
    method: request.method,
    url,
    path: request.path,
    route: request.route,
    attempt,
    headers: {
      authorization: `Bearer ${token}`,
      accept: "application/json",
      ...(request.body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
  };
  return { token, response: await sendHttp(settings, http), http };
}

async function finish(
  settings: ClientSettings,
  tokens: TokenProvider,
  request: ApiRequest,
  attempt: number,
  initial: HttpResponse,
): Promise<ApiResponse> {
  let response = initial;
  for (let hop = 0; ; hop += 1) {
    if (response.status < 200 || response.status > 299) {
      const { method, path, route } = request;
      const error = httpError(
        settings,
        { method, path, route, url: response.url, attempt, headers: {} },
        response,
      );
      if (response.status === 429 && error.retryAfterMs !== null) settings.budget.limited(error.retryAfterMs);
      throw error;
    }
    const body = parseJsonBody(request, response.text);
    const redirect = request.followBodyRedirect ? bodyRedirect(body) : null;
    if (redirect === null) return { status: response.status, body };
    if (hop >= MAX_BODY_REDIRECTS)
      throw badResponse(request, `more than ${MAX_BODY_REDIRECTS} body redirects`);
    const url = nextRedirectUrl(response.url, redirect);
    if (url === null)
      throw badResponse(request, "refusing an invalid redirect or one from https to a non-https URL");
    response = (await sendWithToken(settings, request, attempt, await tokenOrAbort(tokens), url)).response;
  }
}

function buildUrl(baseUrl: string, request: ApiRequest): string {
  const url = new URL(`${baseUrl}${request.path}`);
  for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, String(value));
  return url.toString();
}

function parseJsonBody(request: ApiRequest, text: string): unknown {
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badResponse(request, "the body is not JSON", error);
  }
}

/** {"data": {"redirect": "<url>"}} → the url. */
function bodyRedirect(body: unknown): string | null {
  const redirect = asRecord(asRecord(body)?.["data"])?.["redirect"];
  return typeof redirect === "string" && redirect !== "" ? redirect : null;
}
