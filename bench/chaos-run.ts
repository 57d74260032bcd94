// The chaos run (docs/chaos.md): apply and sweep run as child processes of the built CLI against the emulator with
// ~20% injected 5xx/429/409/lost replies on the rule routes; some are killed with SIGKILL at random moments;
// git changes land between runs; an independent sweeper runs every `sweepIntervalMs`. Then faults stop, a final
// apply + sweep run, and the invariants are checked on the emulator's history and the journal (chaos-invariants).
import { checkChaosInvariants, type ChaosVerdict } from "./chaos-invariants.js";
import { runChild, type ChildRun } from "./chaos-child.js";
import { createChaosGrants } from "./chaos-grants.js";
import { between } from "./chaos-random.js";
import { seededRandom } from "../test/helpers/seeded-random.js";
import { chaosOrgId, createChaosWorld, type ChaosWorld } from "./chaos-world.js";

export interface ChaosOptions {
  /** Length of the chaos phase (ms). */
  durationMs: number;
  initialGrants: number;
  /** Share of grants that expire during the run. */
  shortShare: number;
  faults: string;
  /** Probability that a chaos apply (or extra sweep) is killed, and when (ms after its start). */
  killProbability: number;
  killDelayMs: [number, number];
  /** Probability that a second apply (a replica) runs at the same time. */
  replicaProbability: number;
  /** Probability of a git change before a run. */
  changeProbability: number;
  /** The independent sweeper starts a sweep this often; also the "sweep interval" of the expiry invariant. */
  sweepIntervalMs: number;
  seed: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface ChaosResult {
  figures: Record<string, string | number>;
  verdicts: ChaosVerdict[];
  ok: boolean;
}

export const chaosFaults = "500=0.1,503=0.05,429=0.03,409=0.02,lost=0.01,routes=rules";

const users = 25;
const resources = 12;

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const random = seededRandom(options.seed);
  const maxRuns = Math.ceil(options.durationMs / 100) + 20;
  const world = await createChaosWorld(
    { users, resources, foreign: 40, keys: maxRuns },
    seededRandom(options.seed ^ 0x5eed),
  );
  try {
    return await chaosIn(world, options, random, maxRuns);
  } finally {
    await world.close();
  }
}

async function chaosIn(
  world: ChaosWorld,
  options: ChaosOptions,
  random: () => number,
  maxRuns: number,
): Promise<ChaosResult> {
  const log = options.log ?? (() => undefined);
  const startedAt = Date.now();
  const end = startedAt + options.durationMs;
  const lastExpiryAt = end - 3000;
  const grants = createChaosGrants(
    world.repo,
    { initial: options.initialGrants, shortShare: options.shortShare, users, resources, minLifeMs: 2000 },
    random,
  );
  await grants.commitInitial(lastExpiryAt);
  const runs: ChildRun[] = [];
  let n = 0;
  const child = async (
    args: string[],
    killAfterMs: number | undefined,
    deadline: number,
  ): Promise<ChildRun> => {
    n++;
    const run = await runChild({ n, args, env: world.env(n), cwd: world.home, killAfterMs, deadline });
    runs.push(run);
    return run;
  };
  const applyArgs = ["apply", "--trust-git", "--repo", world.repo.dir, "--journal", world.journalPath];
  const sweepArgs = [
    "sweep",
    ...["--org-id", String(chaosOrgId), "--organization", "acme", "--credentials", "ACME"],
    ...["--journal", world.journalPath],
  ];
  // The first apply is always killed, so every run starts from a half-applied world.
  let batches = 0;
  const chaosKill = (): number | undefined =>
    batches === 1 || random() < options.killProbability
      ? between(random, options.killDelayMs[0], options.killDelayMs[1])
      : undefined;

  world.emulator.setFaults(options.faults);
  const sweeps: ChildRun[] = [];
  const sweeper = (async () => {
    for (let tick = startedAt; tick < end && n < maxRuns; tick += options.sweepIntervalMs) {
      if (Date.now() < tick) await new Promise((resolve) => setTimeout(resolve, tick - Date.now()));
      sweeps.push(await child(sweepArgs, undefined, end + 60_000));
      while (tick + options.sweepIntervalMs < Date.now()) tick += options.sweepIntervalMs;
    }
  })();
  let changes = 0;
  while (Date.now() < end - 300 && n < maxRuns - 4) {
    if (random() < options.changeProbability) {
      const change = await grants.change(lastExpiryAt);
      changes++;
      log(`change: revoked ${change.revoked}, edited ${change.edited}, added ${change.added}`);
    }
    batches++;
    const batch = [child(applyArgs, chaosKill(), end)];
    if (random() < options.replicaProbability) batch.push(child(applyArgs, chaosKill(), end));
    if (random() < 0.2) batch.push(child(sweepArgs, chaosKill(), end));
    for (const run of await Promise.all(batch)) {
      log(
        `run ${run.n} ${run.command}: ${run.killReason ?? "exit"} ${run.code ?? ""} ${run.endedAt - run.startedAt} ms`,
      );
    }
  }
  await sweeper;
  const chaosEndedAt = Date.now();
  const chaosCounters = world.emulator.counters();
  world.emulator.setFaults("none");
  const finalApply = await child(applyArgs, undefined, Date.now() + 120_000);
  const finalSweep = await child(sweepArgs, undefined, Date.now() + 60_000);
  const finalPlan = await child(
    ["plan", "--trust-git", "--repo", world.repo.dir, "--format", "json"],
    undefined,
    Date.now() + 60_000,
  );
  world.history.scan();
  const checkedAt = Date.now();
  log(`final apply exit ${finalApply.code}, sweep exit ${finalSweep.code}, plan exit ${finalPlan.code}`);
  const verdicts = await checkChaosInvariants({
    world,
    runs,
    sweeps,
    finalApply,
    finalSweep,
    finalPlan,
    liveGrantIds: grants.liveIds(checkedAt),
    sweepIntervalMs: options.sweepIntervalMs,
    checkedAt,
  });
  const figures = chaosFigures({
    world,
    runs,
    options,
    changes,
    commits: grants.commits(),
    startedAt,
    chaosEndedAt,
    chaosCounters,
  });
  return { figures, verdicts, ok: verdicts.every((verdict) => verdict.ok) };
}

function chaosFigures(input: {
  world: ChaosWorld;
  runs: ChildRun[];
  options: ChaosOptions;
  changes: number;
  commits: number;
  startedAt: number;
  chaosEndedAt: number;
  /** Emulator counters at the end of the chaos phase (the final runs have no faults). */
  chaosCounters: Record<string, number>;
}): Record<string, string | number> {
  const { world, runs } = input;
  const count = (test: (run: ChildRun) => boolean): number => runs.filter(test).length;
  const managed = [...world.history.rules.values()].filter((rule) => !world.foreignIds.has(rule.ruleId));
  const faults = [...world.history.faults.entries()].sort(([a], [b]) => a.localeCompare(b));
  const injected = faults.reduce((sum, [, k]) => sum + k, 0);
  const ruleRequests = Object.entries(input.chaosCounters)
    .filter(([key]) => / \/policies\/v2\/rules/.test(key))
    .reduce((sum, [, k]) => sum + k, 0);
  const exits = new Map<string, number>();
  for (const run of runs) {
    const key = `${run.command} ${run.killed ? "killed" : String(run.code)}`;
    exits.set(key, (exits.get(key) ?? 0) + 1);
  }
  return {
    "chaos seed": input.options.seed,
    "chaos phase (s)": Math.round((input.chaosEndedAt - input.startedAt) / 100) / 10,
    "child runs": runs.length,
    "apply runs": count((run) => run.command === "apply"),
    "sweep runs": count((run) => run.command === "sweep"),
    "kills (SIGKILL)": count((run) => run.killed),
    "kills at a random moment": count((run) => run.killReason === "chaos"),
    "kills at the end of the chaos phase": count((run) => run.killReason === "deadline"),
    "killed runs that had created rules": new Set(
      managed
        .map((rule) => /key\/chaos-key-(\d+)$/.exec(rule.modifiedBy)?.[1])
        .filter((n) => n !== undefined && runs.some((run) => run.killed && String(run.n) === n)),
    ).size,
    "exits by command": [...exits.entries()].map(([key, k]) => `${key}: ${k}`).join(", "),
    "git changes (commits)": `${input.changes} (${input.commits})`,
    "vendor requests": world.history.requests(),
    "rule-route requests during chaos": ruleRequests,
    "injected faults": injected,
    "injected faults by kind": faults.map(([kind, k]) => `${kind}: ${k}`).join(", "),
    "injected fault rate on rule routes (%)":
      ruleRequests === 0 ? 0 : Math.round((injected / ruleRequests) * 1000) / 10,
    "managed rules created": managed.length,
    "managed rules deleted": managed.filter((rule) => rule.goneAt !== undefined).length,
  };
}
