/**
 * A per-key sliding-window counter: at most `limit` hits within any `windowMs`. A refused hit is not counted.
 * `retryAfterMs` says when the oldest hit in the window leaves it.
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Whether a hit fits in the window at `now` (without recording it). */
  check(key: string, now: number): { ok: true } | { ok: false; retryAfterMs: number } {
    const times = this.prune(key, now);
    if (times.length < this.limit) return { ok: true };
    const oldest = times[times.length - this.limit] ?? now;
    return { ok: false, retryAfterMs: Math.max(1, oldest + this.windowMs - now) };
  }

  record(key: string, now: number): void {
    this.prune(key, now).push(now);
  }

  clear(): void {
    this.hits.clear();
  }

  private prune(key: string, now: number): number[] {
    let times = this.hits.get(key);
    if (!times) {
      times = [];
      this.hits.set(key, times);
    }
    let drop = 0;
    while (drop < times.length && (times[drop] ?? 0) <= now - this.windowMs) drop++;
    if (drop > 0) times.splice(0, drop);
    return times;
  }
}
