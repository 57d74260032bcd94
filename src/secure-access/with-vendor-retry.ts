import pRetry, { AbortError, type RetryContext } from "p-retry";
import type { ClientSettings } from "./client-settings.js";
import { VendorApiError } from "./vendor-api-error.js";

export interface RetryLabel {
  method: string;
  path: string;
  route: string;
}

/**
 * Runs `attempt` with p-retry: only VendorApiErrors marked `retryable` are retried (409, 429, 5xx, network,
 * timeout); anything else stops at once (AbortError). A Retry-After from the vendor is honoured: before
 * p-retry's own backoff, the client waits whatever the backoff would not already cover.
 */
export async function withVendorRetry<T>(
  settings: ClientSettings,
  label: RetryLabel,
  attempt: (attemptNumber: number) => Promise<T>,
): Promise<T> {
  const { retry } = settings;
  try {
    return await pRetry(
      async (attemptNumber) => {
        try {
          return await attempt(attemptNumber);
        } catch (error) {
          if (error instanceof AbortError || (error instanceof VendorApiError && error.retryable))
            throw error;
          throw new AbortError(error instanceof Error ? error : new Error(String(error)));
        }
      },
      {
        retries: retry.retries,
        minTimeout: retry.minTimeoutMs,
        maxTimeout: retry.maxTimeoutMs,
        maxRetryTime: retry.maxRetryTimeMs,
        factor: retry.factor,
        randomize: retry.randomize,
        signal: settings.signal,
        onFailedAttempt: (context) => beforeRetry(settings, label, context),
      },
    );
  } catch (error) {
    throw asVendorError(settings, label, error);
  }
}

async function beforeRetry(
  settings: ClientSettings,
  label: RetryLabel,
  context: RetryContext,
): Promise<void> {
  if (context.retriesLeft <= 0) return;
  const error = context.error;
  const vendor = error instanceof VendorApiError ? error : null;
  settings.logger.warn(
    {
      method: label.method,
      route: label.route,
      code: vendor?.code ?? "UNKNOWN",
      status: vendor?.status ?? null,
      attempt: context.attemptNumber,
      retriesLeft: context.retriesLeft,
      retryAfterMs: vendor?.retryAfterMs ?? null,
    },
    "secure access request failed; retrying",
  );
  const retryAfter = vendor?.retryAfterMs ?? null;
  if (retryAfter === null) return;
  const extra = Math.min(
    retryAfter - backoffFloor(settings, context.retriesConsumed),
    settings.retry.maxRetryTimeMs,
  );
  if (extra > 0) await settings.sleep(extra, settings.signal);
}

/** The smallest wait p-retry will add itself before the next attempt (randomize only lengthens it). */
export function backoffFloor(settings: ClientSettings, retriesConsumed: number): number {
  const { minTimeoutMs, factor, maxTimeoutMs } = settings.retry;
  return Math.min(minTimeoutMs * (factor > 0 ? factor : 1) ** retriesConsumed, maxTimeoutMs);
}

function asVendorError(settings: ClientSettings, label: RetryLabel, error: unknown): VendorApiError {
  if (error instanceof VendorApiError) return error;
  const aborted = settings.signal?.aborted === true;
  return new VendorApiError(
    aborted ? "VENDOR_ABORTED" : "VENDOR_INTERNAL",
    `Secure Access ${label.method} ${label.path} ${aborted ? "was aborted" : "failed unexpectedly"}`,
    { method: label.method, path: label.path, cause: error },
  );
}
