import { createVendorBudget, type VendorBudget } from "./vendor-budget.js";

/** Options of createSecureAccessClient (see docs/vendor-client.md). */
export interface SecureAccessClientOptions {
  /** e.g. https://api.sse.cisco.com (a trailing slash is ignored). */
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  /** Defaults to the global fetch. */
  fetch?: typeof globalThis.fetch;
  retry?: RetryOptions;
  /** Per HTTP request (AbortSignal.timeout); default 30 s. */
  timeoutMs?: number;
  /** ms clock for token expiry and Retry-After dates; default Date.now. */
  now?: () => number;
  /** Waits (Retry-After); default a timer that honours the signal. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  logger?: VendorLogger;
  /** Called once per HTTP request (token requests included), for metrics. */
  onRequest?: (info: RequestInfo) => void;
  /** Aborts every request and wait of this client. */
  signal?: AbortSignal;
  /**
   * Identity lookups search one name per request until more than this many distinct names were asked for;
   * later ones are answered from one listing of every directory user (limit 5000). Default 25.
   */
  identityBulkThreshold?: number;
  /** List every directory user at the first identity lookup (many names are coming); default false. */
  prefetchIdentities?: boolean;
  /**
   * The vendor's rate windows as this process sees them (share one per API key across clients); default a new
   * one per client, on `now`.
   */
  budget?: VendorBudget;
}

export interface RetryOptions {
  /** Retries after the first attempt; default 6. */
  retries?: number;
  /** Backoff before the first retry; default 1000 ms. */
  minTimeoutMs?: number;
  /** Cap of one backoff wait; default 30 s. */
  maxTimeoutMs?: number;
  /** Give up retrying after this long; default 120 s. */
  maxRetryTimeMs?: number;
  /** Backoff growth factor; default 2. */
  factor?: number;
  /** Jitter (×1..2); default true. */
  randomize?: boolean;
  /** Also retry 400 "invalid data passed" (the vendor may not know a just-created id yet); default false. */
  retryInvalidData?: boolean;
}

export interface VendorLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface RequestInfo {
  method: string;
  route: string;
  status: number | "error";
  attempt: number;
  ms: number;
}

/** The options with every default filled in. */
export interface ClientSettings {
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  fetch: typeof globalThis.fetch;
  retry: Required<RetryOptions>;
  timeoutMs: number;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  logger: VendorLogger;
  onRequest: (info: RequestInfo) => void;
  signal: AbortSignal | undefined;
  identityBulkThreshold: number;
  prefetchIdentities: boolean;
  budget: VendorBudget;
  /** Strings that must never appear in an error or a log line; the token is added when it is known. */
  secrets: string[];
}

export const DEFAULT_RETRY: Required<RetryOptions> = {
  retries: 6,
  minTimeoutMs: 1000,
  maxTimeoutMs: 30_000,
  maxRetryTimeMs: 120_000,
  factor: 2,
  randomize: true,
  retryInvalidData: false,
};

export const DEFAULT_TIMEOUT_MS = 30_000;

/** Distinct identity names searched one by one before the whole directory is listed. */
export const DEFAULT_IDENTITY_BULK_THRESHOLD = 25;

const noop = (): void => undefined;

export function resolveClientSettings(options: SecureAccessClientOptions): ClientSettings {
  const now = options.now ?? Date.now;
  return {
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    apiKey: options.apiKey,
    apiSecret: options.apiSecret,
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    retry: { ...DEFAULT_RETRY, ...options.retry },
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    now,
    sleep: options.sleep ?? sleepWithSignal,
    logger: options.logger ?? { debug: noop, warn: noop },
    onRequest: options.onRequest ?? noop,
    signal: options.signal,
    identityBulkThreshold: options.identityBulkThreshold ?? DEFAULT_IDENTITY_BULK_THRESHOLD,
    prefetchIdentities: options.prefetchIdentities ?? false,
    budget: options.budget ?? createVendorBudget({ now }),
    secrets: [
      options.apiKey,
      options.apiSecret,
      Buffer.from(`${options.apiKey}:${options.apiSecret}`).toString("base64"),
    ],
  };
}

/** setTimeout as a promise, rejected with the signal's reason on abort. */
export function sleepWithSignal(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
