/** Timer functions, injectable for tests. */
export interface SchedulerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export type TickReason = "interval" | "wake";

export interface SchedulerOptions {
  /** Period of the backstop tick (default 5 minutes). */
  intervalMs?: number;
  /** Each period is intervalMs ± a random amount up to jitterMs (default 10% of the interval). */
  jitterMs?: number;
  onTick: (reason: TickReason) => void;
  /** Epoch milliseconds now. */
  clock: () => number;
  timers?: SchedulerTimers;
  /** Returns a number in [0, 1); default Math.random. */
  random?: () => number;
}

export interface Scheduler {
  start(): void;
  stop(): void;
  /** Arms the precise one-shot timer at an instant (epoch ms), replacing any earlier one; null disarms it. */
  wakeAt(instantMs: number | null): void;
}

/** Longest delay Node's setTimeout accepts (2^31-1 ms); longer delays are re-armed in steps. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

const DEFAULT_INTERVAL_MS = 5 * 60 * 1000;

const nodeTimers: SchedulerTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A periodic backstop tick plus a precise one-shot wake-up timer (the plan's nextWakeAt). */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const jitterMs = Math.min(options.jitterMs ?? intervalMs / 10, intervalMs);
  const timers = options.timers ?? nodeTimers;
  const random = options.random ?? Math.random;
  let running = false;
  let periodic: unknown = null;
  let precise: unknown = null;
  let wakeInstant: number | null = null;

  const armPeriodic = (): void => {
    const delay = Math.max(0, Math.round(intervalMs + (random() * 2 - 1) * jitterMs));
    periodic = timers.setTimeout(() => {
      armPeriodic();
      options.onTick("interval");
    }, delay);
  };

  const armPrecise = (): void => {
    if (wakeInstant === null) return;
    const instant = wakeInstant;
    const delay = Math.max(0, instant - options.clock());
    precise = timers.setTimeout(
      () => {
        precise = null;
        if (instant - options.clock() > 0) return armPrecise(); // a long delay: re-arm the next step
        wakeInstant = null;
        options.onTick("wake");
      },
      Math.min(delay, MAX_TIMER_DELAY_MS),
    );
  };

  const clear = (handle: unknown): null => {
    if (handle !== null) timers.clearTimeout(handle);
    return null;
  };

  return {
    start() {
      if (running) return;
      running = true;
      armPeriodic();
      armPrecise();
    },
    stop() {
      running = false;
      periodic = clear(periodic);
      precise = clear(precise);
    },
    wakeAt(instantMs) {
      precise = clear(precise);
      wakeInstant = instantMs;
      if (running) armPrecise();
    },
  };
}
