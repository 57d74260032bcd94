import { describe, expect, it } from "vitest";
import { pino } from "pino";
import { createSingleFlight } from "../../src/daemon/schedule/single-flight.js";

const logger = pino({ level: "silent" });

/** A run function that records its calls and overlap, and whose runs finish only when released. */
function recorder() {
  const calls: string[][] = [];
  const releases: Array<() => void> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const run = async (reasons: string[]): Promise<void> => {
    calls.push(reasons);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise<void>((resolve) => releases.push(resolve));
    inFlight -= 1;
  };
  const releaseNext = async (): Promise<void> => {
    while (releases.length === 0) await new Promise((r) => setImmediate(r));
    releases.shift()?.();
  };
  return { calls, run, releaseNext, maxInFlight: () => maxInFlight };
}

describe("createSingleFlight", () => {
  it("coalesces triggers of the same tick into one run with every reason", async () => {
    const r = recorder();
    const flight = createSingleFlight(r.run, logger);
    flight.trigger("a");
    flight.trigger("b");
    flight.trigger("a");
    await r.releaseNext();
    await flight.idle();
    expect(r.calls).toEqual([["a", "b"]]);
  });

  it("runs exactly once more after triggers that arrive during a run", async () => {
    const r = recorder();
    const flight = createSingleFlight(r.run, logger);
    flight.trigger("first");
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.calls).toHaveLength(1);
    for (const reason of ["x", "y", "z", "x"]) flight.trigger(reason);
    await r.releaseNext();
    await r.releaseNext();
    await flight.idle();
    expect(r.calls).toEqual([["first"], ["x", "y", "z"]]);
    expect(r.maxInFlight()).toBe(1);
  });

  it("never overlaps runs under many interleaved triggers", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let runs = 0;
    const flight = createSingleFlight(async () => {
      runs += 1;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight -= 1;
    }, logger);
    for (let i = 0; i < 50; i += 1) {
      flight.trigger(`t${i % 3}`);
      if (i % 7 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await flight.idle();
    expect(maxInFlight).toBe(1);
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(runs).toBeLessThanOrEqual(9); // at most one run per burst
  });

  it("logs a failing run and keeps serving triggers", async () => {
    const errors: unknown[] = [];
    const calls: string[][] = [];
    const flight = createSingleFlight(
      async (reasons) => {
        calls.push(reasons);
        await Promise.resolve();
        if (reasons.includes("boom")) throw new Error("boom");
      },
      { error: (obj: unknown) => errors.push(obj), debug: () => undefined } as never,
    );
    flight.trigger("boom");
    await flight.idle();
    flight.trigger("after");
    await flight.idle();
    expect(calls).toEqual([["boom"], ["after"]]);
    expect(errors).toHaveLength(1);
  });

  it("close() waits for the current run, drops pending ones and ignores later triggers", async () => {
    const r = recorder();
    const flight = createSingleFlight(r.run, logger);
    flight.trigger("current");
    await new Promise((resolve) => setImmediate(resolve));
    flight.trigger("pending");
    let closed = false;
    const closing = flight.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    await r.releaseNext();
    await closing;
    flight.trigger("late");
    await flight.idle();
    expect(r.calls).toEqual([["current"]]);
  });

  it("idle() resolves at once when nothing runs", async () => {
    const flight = createSingleFlight(() => Promise.resolve(), logger);
    await expect(flight.idle()).resolves.toBeUndefined();
  });
});
