import pRetry, { AbortError } from "p-retry";

export interface SendOptions {
  fetch: typeof fetch;
  /** Retries after the first attempt (bounded). */
  retries: number;
  /** First backoff; doubles each retry. */
  minBackoffMs: number;
  /** Per attempt. */
  timeoutMs: number;
  onRetry?: (attempt: number, error: unknown) => void;
  /** Aborted when the notifier stops: the attempt in flight ends and no retry is scheduled. */
  signal?: AbortSignal;
}

/** A receiver's answer that will not improve on retry (4xx other than 408 and 429). */
export class SinkRejectedError extends Error {
  readonly code = "NOTIFY_REJECTED";
}

/** A 5xx, 408, 429 or a network error: retried. */
export class SinkUnavailableError extends Error {
  readonly code = "NOTIFY_UNAVAILABLE";
}

/**
 * POSTs a JSON body to a receiver, at least once: network errors, timeouts, 408, 429 and 5xx are retried with
 * exponential backoff (p-retry), a bounded number of times; other 4xx are final. Messages never hold the URL.
 */
export async function sendNotification(url: string, body: object, options: SendOptions): Promise<void> {
  const text = JSON.stringify(body);
  await pRetry(
    async () => {
      let response: Response;
      try {
        response = await options.fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: text,
          signal:
            options.signal === undefined
              ? AbortSignal.timeout(options.timeoutMs)
              : AbortSignal.any([AbortSignal.timeout(options.timeoutMs), options.signal]),
        });
      } catch (error) {
        throw new SinkUnavailableError(`receiver unreachable: ${(error as Error).name}`);
      }
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return;
      const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
      if (!retryable) throw new AbortError(new SinkRejectedError(`receiver answered ${response.status}`));
      throw new SinkUnavailableError(`receiver answered ${response.status}`);
    },
    {
      retries: options.retries,
      minTimeout: options.minBackoffMs,
      factor: 2,
      randomize: true,
      onFailedAttempt: ({ attemptNumber, error }) => options.onRetry?.(attemptNumber, error),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    },
  );
}
