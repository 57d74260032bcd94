import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MAX_TIMER_DELAY_MS, createScheduler, type TickReason } from "../../src/daemon/schedule/scheduler.js";

/** Deterministic timers on a virtual clock; every delay handed to setTimeout is recorded. */
function virtualTime(start = 1_700_000_000_000) {
  let now = start;
  let nextId = 1;
  const pending = new Map<number, { at: number; callback: () => void }>();
  const delays: number[] = [];
  return {
    clock: () => now,
    delays,
    pendingCount: () => pending.size,
    timers: {
      setTimeout(callback: () => void, ms: number): unknown {
        delays.push(ms);
        const id = nextId++;
        pending.set(id, { at: now + ms, callback });
        return id;
      },
      clearTimeout(handle: unknown): void {
        pending.delete(handle as number);
      },
    },
    advance(ms: number): void {
      const target = now + ms;
      for (;;) {
        const due = [...pending.entries()]
          .filter(([, t]) => t.at <= target)
          .sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
        if (!due) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].callback();
      }
      now = target;
    },
  };
}

function setup(options: { intervalMs?: number; jitterMs?: number; random?: () => number } = {}) {
  const time = virtualTime();
  const ticks: Array<{ reason: TickReason; at: number }> = [];
  const scheduler = createScheduler({
    intervalMs: options.intervalMs ?? 60_000,
    jitterMs: options.jitterMs ?? 0,
    random: options.random ?? (() => 0.5),
    clock: time.clock,
    timers: time.timers,
    onTick: (reason) => ticks.push({ reason, at: time.clock() }),
  });
  return { time, ticks, scheduler };
}

describe("createScheduler", () => {
  it("ticks periodically once started, and not after stop", () => {
    const { time, ticks, scheduler } = setup();
    time.advance(120_000);
    expect(ticks).toEqual([]);
    scheduler.start();
    time.advance(180_000);
    expect(ticks.map((t) => t.reason)).toEqual(["interval", "interval", "interval"]);
    scheduler.stop();
    time.advance(600_000);
    expect(ticks).toHaveLength(3);
    expect(time.pendingCount()).toBe(0);
  });

  it("keeps every periodic delay within interval ± jitter", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 0.9999999, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (rs) => {
          let i = 0;
          const { time, scheduler } = setup({
            intervalMs: 300_000,
            jitterMs: 30_000,
            random: () => rs[i++ % rs.length] ?? 0,
          });
          scheduler.start();
          time.advance(300_000 * rs.length);
          scheduler.stop();
          for (const delay of time.delays) {
            expect(delay).toBeGreaterThanOrEqual(270_000);
            expect(delay).toBeLessThanOrEqual(330_000);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it("uses the extremes of the jitter range", () => {
    for (const [random, expected] of [
      [() => 0, 270_000],
      [() => 0.5, 300_000],
    ] as const) {
      const { time, scheduler } = setup({ intervalMs: 300_000, jitterMs: 30_000, random });
      scheduler.start();
      expect(time.delays).toEqual([expected]);
    }
  });

  it("fires the precise timer at the instant", () => {
    const { time, ticks, scheduler } = setup({ intervalMs: 3_600_000 });
    scheduler.start();
    const instant = time.clock() + 12_345;
    scheduler.wakeAt(instant);
    time.advance(12_344);
    expect(ticks).toEqual([]);
    time.advance(1);
    expect(ticks).toEqual([{ reason: "wake", at: instant }]);
    time.advance(100_000);
    expect(ticks).toHaveLength(1); // one-shot
  });

  it("replaces an earlier wake-up when re-armed, and disarms on null", () => {
    const { time, ticks, scheduler } = setup({ intervalMs: 3_600_000 });
    scheduler.start();
    const start = time.clock();
    scheduler.wakeAt(start + 10_000);
    scheduler.wakeAt(start + 20_000);
    time.advance(30_000);
    expect(ticks).toEqual([{ reason: "wake", at: start + 20_000 }]);
    scheduler.wakeAt(start + 40_000);
    scheduler.wakeAt(null);
    time.advance(30_000);
    expect(ticks).toHaveLength(1);
  });

  it("fires at once for an instant in the past", () => {
    const { time, ticks, scheduler } = setup({ intervalMs: 3_600_000 });
    scheduler.start();
    scheduler.wakeAt(time.clock() - 5_000);
    time.advance(0);
    expect(ticks.map((t) => t.reason)).toEqual(["wake"]);
  });

  it("re-arms delays longer than setTimeout's maximum and still fires at the instant", () => {
    const { time, ticks, scheduler } = setup({ intervalMs: 24 * 3_600_000 });
    scheduler.start();
    const instant = time.clock() + 60 * 24 * 3_600_000; // 60 days
    scheduler.wakeAt(instant);
    time.advance(instant - time.clock() - 1);
    expect(ticks.filter((t) => t.reason === "wake")).toEqual([]);
    time.advance(1);
    expect(ticks.filter((t) => t.reason === "wake")).toEqual([{ reason: "wake", at: instant }]);
    expect(Math.max(...time.delays)).toBeLessThanOrEqual(MAX_TIMER_DELAY_MS);
  });

  it("arms a wake-up requested before start when it starts", () => {
    const { time, ticks, scheduler } = setup({ intervalMs: 3_600_000 });
    const instant = time.clock() + 1_000;
    scheduler.wakeAt(instant);
    time.advance(5_000);
    expect(ticks).toEqual([]);
    scheduler.start();
    time.advance(0);
    expect(ticks.map((t) => t.reason)).toEqual(["wake"]);
  });
});
