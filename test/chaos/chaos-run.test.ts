// A short chaos run (the bench's is ~45 s): apply and sweep child processes of the built CLI under ~20%
// injected faults and random SIGKILLs, git changes between runs, then a final apply + sweep; every invariant
// of bench/chaos-invariants.ts must hold. Bounded to ~20 s; all traffic goes to the emulator on 127.0.0.1.
import { describe, expect, it } from "vitest";
import { chaosFaults, runChaos } from "../../bench/chaos-run.js";

describe("chaos run", () => {
  it("converges with every invariant holding after faults and kill -9", async () => {
    const seed = Date.now() % 1_000_000;
    const result = await runChaos({
      durationMs: 12_000,
      initialGrants: 30,
      shortShare: 0.3,
      faults: chaosFaults,
      killProbability: 0.6,
      killDelayMs: [50, 2000],
      replicaProbability: 0.15,
      changeProbability: 0.5,
      sweepIntervalMs: 4000,
      seed,
    });
    const failed = result.verdicts.filter((verdict) => !verdict.ok);
    expect(failed, `seed ${seed}: ${JSON.stringify(result.figures)}`).toEqual([]);
    expect(result.verdicts.length).toBeGreaterThanOrEqual(10);
    expect(result.figures["kills (SIGKILL)"]).toBeGreaterThan(0);
    expect(result.figures["injected faults"]).toBeGreaterThan(0);
  }, 60_000);
});
