import { SlidingWindowLimiter } from "./sliding-window-limiter.js";

/** Per-key request limits; `false` disables one. Defaults: 20 tokens/min, 2000 policy calls/min and 6000/h. */
export interface RateLimits {
  tokenPerMinute?: number | false;
  policiesPerMinute?: number | false;
  policiesPerHour?: number | false;
}

export interface RateLimiter {
  /** Counts a token request of `key`; returns the Retry-After seconds when over the limit. */
  token(key: string, now: number): number | undefined;
  /** Counts a policies-scope request of `key`; returns the Retry-After seconds when over a limit. */
  policies(key: string, now: number): number | undefined;
  clear(): void;
}

export function createRateLimiter(limits: RateLimits = {}): RateLimiter {
  const token = windows([[limits.tokenPerMinute ?? 20, 60_000]]);
  const policies = windows([
    [limits.policiesPerMinute ?? 2000, 60_000],
    [limits.policiesPerHour ?? 6000, 3_600_000],
  ]);
  return {
    token: (key, now) => hit(token, key, now),
    policies: (key, now) => hit(policies, key, now),
    clear: () => [...token, ...policies].forEach((limiter) => limiter.clear()),
  };
}

function windows(specs: Array<[number | false, number]>): SlidingWindowLimiter[] {
  return specs.flatMap(([limit, windowMs]) =>
    limit === false ? [] : [new SlidingWindowLimiter(limit, windowMs)],
  );
}

function hit(limiters: SlidingWindowLimiter[], key: string, now: number): number | undefined {
  let waitMs = 0;
  for (const limiter of limiters) {
    const verdict = limiter.check(key, now);
    if (!verdict.ok) waitMs = Math.max(waitMs, verdict.retryAfterMs);
  }
  if (waitMs > 0) return Math.ceil(waitMs / 1000);
  for (const limiter of limiters) limiter.record(key, now);
  return undefined;
}
