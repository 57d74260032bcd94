// The chaos run as a bench (docs/testing-and-benchmarks.md): ~45 s of apply/sweep child processes under ~20% injected faults and
// random SIGKILLs, then a final apply + sweep and the invariants. Figures and one line per invariant.
import { chaosFaults, runChaos } from "./chaos-run.js";

export async function runChaosBench(): Promise<Record<string, string | number>> {
  const seed = Number(process.env["GRANTOPS_CHAOS_SEED"] ?? Date.now() % 1_000_000);
  const result = await runChaos({
    durationMs: 45_000,
    initialGrants: 100,
    shortShare: 0.3,
    faults: chaosFaults,
    killProbability: 0.7,
    killDelayMs: [50, 6000],
    replicaProbability: 0.15,
    changeProbability: 0.4,
    sweepIntervalMs: 5000,
    seed,
  });
  const figures: Record<string, string | number> = { ...result.figures };
  for (const [label, value] of Object.entries(result.figures)) console.log(`chaos: ${label}: ${value}`);
  for (const verdict of result.verdicts) {
    console.log(`chaos: ${verdict.ok ? "OK  " : "FAIL"} ${verdict.name}: ${verdict.detail}`);
  }
  const failed = result.verdicts.filter((verdict) => !verdict.ok).length;
  figures["chaos invariants failed (target = 0)"] = failed;
  console.log(
    `chaos: invariants ${result.verdicts.length - failed}/${result.verdicts.length} hold (seed ${seed})`,
  );
  return figures;
}
