/**
 * What a request spends the vendor's policies budget on: `revoke` (rule deletes: expired and revoked access),
 * `read` (listings, GETs) and `grant` (rule creates and updates, the only lane that is paced).
 */
export type BudgetLane = "revoke" | "read" | "grant";

/** One of the vendor's rate windows for the policies scope, per API key (docs/vendor-client.md). */
export interface VendorWindow {
  name: string;
  limit: number;
  windowMs: number;
}

/** The vendor's documented windows for the policies scope: 2000 calls a minute and 6000 an hour, reads included. */
export const VENDOR_WINDOWS: readonly VendorWindow[] = [
  { name: "minute", limit: 2000, windowMs: 60_000 },
  { name: "hour", limit: 6000, windowMs: 3_600_000 },
];

/** Calls always kept free of creates beyond the upcoming expiries: listings of an expiry run and a few revokes. */
export const BASE_RESERVE = 25;

export interface BudgetReserve {
  window: string;
  limit: number;
  /** Calls counted in the window now. */
  used: number;
  /** Calls creates may not use: the base reserve, listing pages and the expiries due within the window. */
  reserve: number;
}

export interface VendorBudget {
  /**
   * Waits until one request of `lane` fits every window (a create only below limit − reserve), then counts it.
   * Waiting revokes go first, smallest `order` first (their expiry, ms), then reads, then creates.
   */
  acquire(lane: BudgetLane, order?: number, signal?: AbortSignal): Promise<void>;
  /** The expiries (ms) of the rules alive now, and how many rules the organization has (listing pages). */
  expectExpiries(expiriesMs: readonly number[], ruleCount: number): void;
  /** An expiry whose rule was deleted: it no longer needs a reserve. */
  spent(expiryMs: number): void;
  /** A 429 with Retry-After: the vendor counted more than this client saw (another process); creates wait. */
  limited(retryAfterMs: number): void;
  reserves(): BudgetReserve[];
}

interface Waiter {
  lane: BudgetLane;
  order: number;
  seq: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const RANK: Record<BudgetLane, number> = { revoke: 0, read: 1, grant: 2 };
const MAX_POLL_MS = 250;
/** An expiry this long past still holds its reserve (its delete is due now); older ones were deleted or failed. */
const PAST_DUE_MS = 60_000;

/**
 * The client's view of the vendor's rate windows (one per API key and process; serve keeps it across runs).
 * Creates are paced so that the deletes of every rule expiring within a window always find room in it.
 */
export function createVendorBudget(
  options: { now?: () => number; windows?: readonly VendorWindow[]; baseReserve?: number } = {},
): VendorBudget {
  const now = options.now ?? Date.now;
  const windows = options.windows ?? VENDOR_WINDOWS;
  const longest = Math.max(...windows.map((window) => window.windowMs));
  const base = options.baseReserve ?? BASE_RESERVE;
  const hits: number[] = [];
  let expiries: number[] = [];
  let pages = 1;
  let blockedUntil = 0;
  let seq = 0;
  let waiters: Waiter[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const used = (window: VendorWindow, at: number): number =>
    hits.length - firstAfter(hits, at - window.windowMs);
  const reserve = (window: VendorWindow, at: number): number =>
    Math.min(
      window.limit,
      base + pages + firstAfter(expiries, at + window.windowMs) - firstAfter(expiries, at - PAST_DUE_MS),
    );
  const fits = (lane: BudgetLane, at: number): boolean =>
    (lane !== "grant" || at >= blockedUntil) &&
    windows.every(
      (window) => used(window, at) + 1 <= window.limit - (lane === "grant" ? reserve(window, at) : 0),
    );

  const pump = (): void => {
    timer = undefined;
    const at = now();
    while (hits.length > 0 && (hits[0] ?? 0) <= at - longest) hits.shift();
    waiters.sort((a, b) => RANK[a.lane] - RANK[b.lane] || a.order - b.order || a.seq - b.seq);
    while (waiters.length > 0) {
      const first = waiters[0] as Waiter;
      if (!fits(first.lane, at)) break;
      waiters.shift();
      hits.push(at);
      first.resolve();
    }
    if (waiters.length > 0) timer = setTimeout(pump, nextTry(waiters[0] as Waiter, at));
  };

  /** When the first waiter may fit: the oldest counted call of a full window leaves it (polled at least each second). */
  const nextTry = (waiter: Waiter, at: number): number => {
    let wait = waiter.lane === "grant" ? Math.max(0, blockedUntil - at) : 0;
    for (const window of windows) {
      const threshold = window.limit - (waiter.lane === "grant" ? reserve(window, at) : 0);
      const inWindow = firstAfter(hits, at - window.windowMs);
      const over = hits.length - inWindow - threshold;
      if (over >= 0) wait = Math.max(wait, (hits[inWindow + over] ?? at) + window.windowMs - at + 1);
    }
    return Math.max(1, Math.min(wait, MAX_POLL_MS));
  };

  const enqueue = (lane: BudgetLane, order: number, signal?: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted === true) return reject(signal.reason as Error);
      const waiter: Waiter = { lane, order, seq: seq++, resolve, reject };
      const onAbort = (): void => {
        waiters = waiters.filter((each) => each !== waiter);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      waiter.resolve = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      waiters.push(waiter);
      if (timer !== undefined) clearTimeout(timer);
      pump();
    });

  return {
    acquire: (lane, order = Number.MAX_SAFE_INTEGER, signal) => enqueue(lane, order, signal),
    expectExpiries(expiriesMs, ruleCount) {
      expiries = [...expiriesMs].sort((a, b) => a - b);
      pages = Math.floor(ruleCount / 1000) + 1;
    },
    spent(expiryMs) {
      const index = expiries.indexOf(expiryMs);
      if (index >= 0) expiries.splice(index, 1);
    },
    limited(retryAfterMs) {
      blockedUntil = Math.max(blockedUntil, now() + retryAfterMs);
    },
    reserves: () => {
      const at = now();
      return windows.map((window) => ({
        window: window.name,
        limit: window.limit,
        used: used(window, at),
        reserve: reserve(window, at),
      }));
    },
  };
}

/** The index of the first value > `bound` in an ascending array. */
function firstAfter(values: readonly number[], bound: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((values[mid] ?? 0) <= bound) low = mid + 1;
    else high = mid;
  }
  return low;
}
