// Cold start (no verification state, no journal) at 10,000 managed rules, 100 of them expired: how many rule GETs
// the first `grantops apply` issues, how long it takes, and whether the expired rules are deleted in that same
// run (their GETs go first, soonest expiry first), or delayed by the verification of the other rules.
import { join } from "node:path";
import { readJournal } from "../src/reconcile/journal.js";
import { desiredRule } from "../src/core/rule/desired-rule.js";
import { DEFAULT_VERIFY_BUDGET } from "../src/reconcile/read-verified-rules.js";
import type { DesiredGrant } from "../src/core/model/types.js";
import { createBenchWorld, createSteps } from "./reconcile-bench-world.js";

const MANAGED = 10_000;
const EXPIRED = 100;

/** The rule an earlier apply made for a grant that expired a minute ago (its file long since tidied away). */
function expiredRule(i: number, expiresAt: string): DesiredGrant {
  return {
    grantId: `expired/old-${i}`,
    organization: "acme",
    identityIds: [2_000_000_001 + (i % 200)],
    resourceIds: [300_001 + (i % 50)],
    startsAt: null,
    expiresAt,
    commit: "0".repeat(40),
    approval: { status: "approved", mode: "trust-git", approvers: [], pr: null, requester: null },
    groupIds: [],
    users: [],
    groups: [],
    resources: [],
    reason: "expired",
    breakGlass: false,
  };
}

export async function runColdStartBench(): Promise<Record<string, string | number>> {
  console.log(
    `cold-start bench (no state file, ${MANAGED.toLocaleString("en")} managed rules, ${EXPIRED} expired):`,
  );
  const world = await createBenchWorld({
    grants: MANAGED - EXPIRED,
    users: 200,
    resources: 50,
    foreign: 100,
  });
  try {
    const plan = await world.cli(["plan", "--trust-git", "--format", "json"], { keep: true });
    const live = createSteps(plan).map((step) => step.rule);
    const expiredAtMs = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const exp = new Date(expiredAtMs).toISOString().replace(/\.\d{3}Z$/, "Z");
    const expired = Array.from(
      { length: EXPIRED },
      (_, i) => desiredRule(expiredRule(i, exp), { rulePrefix: "grantops-" }).rule,
    );
    world.injectRules([...live, ...expired]);
    // Baseline: the same run without a single rule GET (GRANTOPS_VERIFY_BUDGET=0): everything else it costs.
    world.env["GRANTOPS_VERIFY_BUDGET"] = "0";
    const baselineStarted = performance.now();
    const baseline = await world.cli(["plan", "--trust-git"], { keep: true });
    const baselineMs = performance.now() - baselineStarted;
    delete world.env["GRANTOPS_VERIFY_BUDGET"];
    const before = world.emulator.counters();
    const startedAtMs = Date.now();
    const started = performance.now();
    const run = await world.cli(["apply", "--trust-git", "--allow-mass-delete"], { keep: true });
    const ms = performance.now() - started;
    const gets = Object.entries(world.emulator.counters())
      .filter(([route]) => /^GET \/policies\/v2\/rules\/\{ruleId\}/.test(route))
      .reduce((sum, [route, n]) => sum + n - (before[route] ?? 0), 0);
    const journal = await readJournal(join(world.home, ".grantops", "journal.jsonl"));
    const expiredDeletes = journal.filter(
      (e) => e.action === "delete" && e.reason === "expired" && e.outcome === "ok",
    );
    // lagSeconds counts from the expiry; the part of it after the run started is what the run itself took.
    const untilDeleted = expiredDeletes.map((e) => (e.lagSeconds ?? 0) - (startedAtMs - expiredAtMs) / 1000);
    const unverified = /(\d+) unverified/.exec(run.stdout)?.[1] ?? "0";
    const figures: Record<string, string | number> = {
      "cold start: exit code (target = 0)": run.code ?? -1,
      [`cold start: rule GETs in the first run, the per-run budget (target <= ${DEFAULT_VERIFY_BUDGET})`]:
        gets,
      "cold start: managed rules left unverified for the next runs": Number(unverified),
      "cold start: first run duration (ms)": Math.round(ms),
      "cold start: the same plan without any rule GET (ms)": Math.round(baselineMs),
      [`cold start: expired rules the no-GET plan could prove and delete (target = 0)`]: Number(
        /(\d+) expired/.exec(baseline.stdout)?.[1] ?? 0,
      ),
      [`cold start: expired rules deleted in that same run (target = ${EXPIRED})`]: expiredDeletes.length,
      "cold start: seconds from the run's start to the last expired delete (journal, 1 s resolution)":
        Math.max(0, ...untilDeleted),
      "cold start: writes other than the expired deletes (target = 0)":
        journal.length - expiredDeletes.length,
    };
    for (const [label, value] of Object.entries(figures)) console.log(`  ${label}: ${value}`);
    return figures;
  } finally {
    await world.close();
  }
}
