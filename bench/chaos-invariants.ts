// The chaos run's invariants, checked on the emulator's complete rule history (chaos-rule-history) and on the
// shared journal. See docs/chaos.md for exactly what each one claims and why.
import { parseMarker, type Marker } from "../src/core/rule/rule-marker.js";
import { readJournal } from "../src/reconcile/journal.js";
import type { JournalEntry } from "../src/core/model/journal-entry.js";
import type { ChildRun } from "./chaos-child.js";
import { ruleJson, type RuleRecord } from "./chaos-rule-history.js";
import type { ChaosWorld } from "./chaos-world.js";

export interface ChaosVerdict {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ChaosCheckInput {
  world: ChaosWorld;
  /** Every child run, sweeps and the final runs included. */
  runs: ChildRun[];
  /** The independent sweeper's runs. */
  sweeps: ChildRun[];
  finalApply: ChildRun;
  finalSweep: ChildRun;
  finalPlan: ChildRun;
  liveGrantIds: Set<string>;
  sweepIntervalMs: number;
  checkedAt: number;
}

const prefix = "grantops-";

interface Managed extends RuleRecord {
  marker: Marker | null;
  /** The child run whose API key created it (from modifiedBy), or null. */
  run: number | null;
}

export async function checkChaosInvariants(input: ChaosCheckInput): Promise<ChaosVerdict[]> {
  const managed = managedRules(input.world);
  let torn = 0;
  const journal = await readJournal(input.world.journalPath, { onWarning: () => torn++ });
  return [
    convergence(input),
    converged(input, managed),
    approvedVersions(input, managed),
    prefixOnly(managed),
    duplicates(managed),
    expiryFinal(input, managed),
    expiryDuringRun(input, managed),
    foreignUntouched(input),
    ...journalVerdicts(input, managed, journal, torn),
  ];
}

function managedRules(world: ChaosWorld): Managed[] {
  return [...world.history.rules.values()]
    .filter((rule) => !world.foreignIds.has(rule.ruleId))
    .map((rule) => {
      const key = /key\/chaos-key-(\d+)$/.exec(rule.modifiedBy);
      return { ...rule, marker: parseMarker(rule.ruleDescription), run: key ? Number(key[1]) : null };
    });
}

const verdict = (name: string, ok: boolean, detail: string): ChaosVerdict => ({ name, ok, detail });

function convergence(input: ChaosCheckInput): ChaosVerdict {
  const steps = planSteps(input.finalPlan.stdout);
  const ok =
    input.finalApply.code === 0 && input.finalSweep.code === 0 && input.finalPlan.code === 0 && steps === 0;
  return verdict(
    "converges (final apply 0, sweep 0, plan 0 steps)",
    ok,
    `apply exit ${input.finalApply.code}, sweep exit ${input.finalSweep.code}, plan exit ${input.finalPlan.code} with ${steps} steps` +
      (ok ? "" : `; apply stderr: ${notWarnings(input.finalApply.stderr).slice(0, 600)}`),
  );
}

function notWarnings(stderr: string): string {
  return stderr
    .split("\n")
    .filter((line) => line !== "" && !/: warning: /.test(line))
    .join(" | ");
}

function planSteps(stdout: string): number | string {
  try {
    const set = JSON.parse(stdout) as { plans: Array<{ steps: unknown[] }> };
    return set.plans.reduce((sum, plan) => sum + plan.steps.length, 0);
  } catch {
    return "unreadable";
  }
}

/** The final store matches the model: one rule per live grant, none for revoked or expired ones. */
function converged(input: ChaosCheckInput, managed: Managed[]): ChaosVerdict {
  const present = managed.filter((rule) => rule.goneAt === undefined);
  const byGrant = new Map<string, number>();
  for (const rule of present)
    byGrant.set(rule.marker?.grant ?? "?", (byGrant.get(rule.marker?.grant ?? "?") ?? 0) + 1);
  const missing = [...input.liveGrantIds].filter((id) => byGrant.get(id) !== 1);
  const extra = [...byGrant.keys()].filter((id) => !input.liveGrantIds.has(id));
  return verdict(
    "one rule per live grant, none for others",
    missing.length === 0 && extra.length === 0,
    `${input.liveGrantIds.size} live grants, ${present.length} managed rules; missing/doubled ${missing.length}, extra ${extra.length}` +
      (missing.length + extra.length > 0 ? ` (${[...missing, ...extra].slice(0, 5).join(", ")})` : ""),
  );
}

/**
 * Every managed rule left in the store is one the final plan keeps: its full conditions were seen to hash to its
 * marker and that marker is the current approved version of a live grant (nothing unverified or unexplained).
 */
function approvedVersions(input: ChaosCheckInput, managed: Managed[]): ChaosVerdict {
  const present = managed.filter((rule) => rule.goneAt === undefined);
  let kept = new Set<number>();
  let unverified = 0;
  try {
    const set = JSON.parse(input.finalPlan.stdout) as {
      plans: Array<{ kept: Array<{ ruleId: number }>; unverified?: unknown[] }>;
    };
    kept = new Set(set.plans.flatMap((plan) => plan.kept.map((k) => k.ruleId)));
    unverified = set.plans.reduce((sum, plan) => sum + (plan.unverified?.length ?? 0), 0);
  } catch {
    // an unreadable plan keeps nothing: every present rule counts as unmatched
  }
  const unmatched = present.filter((rule) => !kept.has(rule.ruleId));
  return verdict(
    "0 managed rules not matching an approved grant version",
    unmatched.length === 0 && unverified === 0,
    `${present.length} managed rules at the end, ${unmatched.length} not kept by the final plan as a verified, ` +
      `approved grant version; ${unverified} unverified` +
      (unmatched.length > 0
        ? ` (${unmatched
            .slice(0, 5)
            .map((r) => r.ruleName)
            .join(", ")})`
        : ""),
  );
}

function prefixOnly(managed: Managed[]): ChaosVerdict {
  const bad = managed.filter((rule) => !rule.ruleName.startsWith(prefix) || rule.marker === null);
  return verdict(
    "0 rules written without the prefix and marker",
    bad.length === 0,
    `${managed.length} rules created, ${bad.length} without prefix or marker`,
  );
}

/** No two rules of the same grant version (grant + sha) ever existed at the same time. */
function duplicates(managed: Managed[]): ChaosVerdict {
  const byVersion = new Map<string, Managed[]>();
  for (const rule of managed) {
    const key = `${rule.marker?.grant}@${rule.marker?.sha}`;
    byVersion.set(key, [...(byVersion.get(key) ?? []), rule]);
  }
  let overlaps = 0;
  let maxPerGrant = 0;
  for (const rules of byVersion.values()) {
    rules.sort((a, b) => a.seenAt - b.seenAt);
    for (let i = 1; i < rules.length; i++) {
      const previous = rules[i - 1];
      if (previous !== undefined && (previous.goneAt ?? Infinity) > (rules[i]?.seenAt ?? 0)) overlaps++;
    }
  }
  const byGrant = new Map<string, Managed[]>();
  for (const rule of managed)
    byGrant.set(rule.marker?.grant ?? "?", [...(byGrant.get(rule.marker?.grant ?? "?") ?? []), rule]);
  for (const rules of byGrant.values()) maxPerGrant = Math.max(maxPerGrant, maxConcurrent(rules));
  return verdict(
    "0 duplicate rules (same grant + sha at once)",
    overlaps === 0,
    `${byVersion.size} grant versions, ${overlaps} overlapping duplicates; most rules of one grant at once: ${maxPerGrant} (2 is a replace in progress)`,
  );
}

function maxConcurrent(rules: Managed[]): number {
  const events = rules.flatMap((rule) => [[rule.seenAt, 1] as const, [rule.goneAt ?? Infinity, -1] as const]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let max = 0;
  for (const [, delta] of events) max = Math.max(max, (now += delta));
  return max;
}

function expMs(rule: Managed): number {
  return rule.marker === null ? Infinity : Date.parse(rule.marker.exp);
}

function expiryFinal(input: ChaosCheckInput, managed: Managed[]): ChaosVerdict {
  const present = managed.filter((rule) => rule.goneAt === undefined);
  const late = present.filter((rule) => expMs(rule) < input.checkedAt - input.sweepIntervalMs);
  const expired = present.filter((rule) => expMs(rule) <= input.checkedAt);
  return verdict(
    "0 managed rules past expiry + sweep interval (after the final run)",
    late.length === 0,
    `${late.length} past expiry + ${input.sweepIntervalMs / 1000} s, ${expired.length} past expiry at all`,
  );
}

/**
 * During the chaos: every managed rule is gone by the end of the first successful sweeper run that started at
 * least 1 s after its expiry (marker precision) and after the rule appeared. The sweeper starts every
 * `sweepIntervalMs`, so this bounds the time past expiry by the interval plus one sweep's duration.
 */
function expiryDuringRun(input: ChaosCheckInput, managed: Managed[]): ChaosVerdict {
  const good = input.sweeps.filter((run) => run.code === 0).sort((a, b) => a.startedAt - b.startedAt);
  let violations = 0;
  let checked = 0;
  let maxOver = 0;
  let lateCreates = 0;
  const examples: string[] = [];
  for (const rule of managed) {
    const exp = expMs(rule);
    if (!Number.isFinite(exp) || exp > input.checkedAt) continue;
    if (rule.seenAt > exp) lateCreates++;
    maxOver = Math.max(maxOver, (rule.goneAt ?? input.checkedAt) - Math.max(exp, rule.seenAt));
    const sweep = good.find((run) => run.startedAt >= Math.max(exp + 1000, rule.seenAt));
    if (sweep === undefined) continue;
    checked++;
    if ((rule.goneAt ?? Infinity) > sweep.endedAt) {
      violations++;
      examples.push(
        `${rule.ruleName} exp ${rule.marker?.exp} gone ${rule.goneAt ?? "never"} sweep ${sweep.n}`,
      );
    }
  }
  return verdict(
    "expired rules gone by the next complete sweep (during chaos)",
    violations === 0,
    `${checked} expired rules checked, ${violations} outlived the next sweep; longest a rule existed past its expiry ${(maxOver / 1000).toFixed(1)} s; ` +
      `${lateCreates} created after their own expiry (a create retried past the grant's end)` +
      (examples.length > 0 ? `; ${examples.slice(0, 3).join("; ")}` : ""),
  );
}

function foreignUntouched(input: ChaosCheckInput): ChaosVerdict {
  const { world } = input;
  const state = new Map(world.emulator.state.rules.map((rule) => [rule.ruleId, rule]));
  let changed = 0;
  for (const id of world.foreignIds) {
    const now = state.get(id);
    const before = world.history.rules.get(id);
    if (now === undefined || before === undefined || ruleJson(now) !== before.firstJson) changed++;
  }
  const attempts = world.history.writes.filter(
    (write) => write.method === "PUT" || (write.ruleId !== null && world.foreignIds.has(write.ruleId)),
  ).length;
  return verdict(
    "0 foreign rules written (byte-identical but priority; 0 write requests on them)",
    changed === 0 && attempts === 0,
    `${world.foreignIds.size} foreign/default rules, ${changed} changed or gone, ${attempts} PUT or foreign-id write requests`,
  );
}

function journalVerdicts(
  input: ChaosCheckInput,
  managed: Managed[],
  journal: JournalEntry[],
  torn: number,
): ChaosVerdict[] {
  const kills = input.runs.filter((run) => run.killed);
  const byId = new Map(managed.map((rule) => [rule.ruleId, rule]));
  const ok = journal.filter((entry) => entry.outcome === "ok");
  const okCreates = ok.filter((entry) => entry.action === "create");
  const okDeletes = ok.filter((entry) => entry.action === "delete");
  const phantomCreates = okCreates.filter(
    (entry) => entry.ruleId === null || byId.get(entry.ruleId)?.ruleName !== entry.ruleName,
  );
  const phantomDeletes = okDeletes.filter(
    (entry) => entry.ruleId === null || byId.get(entry.ruleId)?.goneAt === undefined,
  );
  const createdIds = new Set(okCreates.map((entry) => entry.ruleId));
  const deletedIds = new Set(okDeletes.map((entry) => entry.ruleId));
  const failedNames = new Set(
    journal.filter((e) => e.outcome === "failed" && e.action === "create").map((e) => e.ruleName),
  );
  const failedDeletes = new Set(
    journal.filter((e) => e.outcome === "failed" && e.action === "delete").map((e) => e.ruleId),
  );
  const killedRuns = new Set(kills.map((run) => run.n));
  const unjournaledCreates = managed.filter((rule) => !createdIds.has(rule.ruleId));
  const perRun = new Map<number | null, number>();
  let unexplainedCreates = 0;
  for (const rule of unjournaledCreates) {
    perRun.set(rule.run, (perRun.get(rule.run) ?? 0) + 1);
    if (rule.run === null || (!killedRuns.has(rule.run) && !failedNames.has(rule.ruleName)))
      unexplainedCreates++;
  }
  const killedOverOne = [...perRun.entries()].filter(
    ([run, k]) => run !== null && killedRuns.has(run) && k > 1,
  );
  const unjournaledDeletes = managed.filter(
    (rule) => rule.goneAt !== undefined && !deletedIds.has(rule.ruleId) && !failedDeletes.has(rule.ruleId),
  );
  const deletesOutsideKills = unjournaledDeletes.filter(
    (rule) =>
      !kills.some((run) => run.startedAt <= (rule.goneAt ?? 0) && (rule.goneAt ?? 0) <= run.endedAt + 100),
  );
  const unjournaled = unjournaledCreates.length + unjournaledDeletes.length;
  return [
    verdict(
      "journal: every line parses (torn lines <= kills)",
      torn <= kills.length,
      `${journal.length} entries (${okCreates.length} ok creates, ${okDeletes.length} ok deletes), ${torn} torn lines, ${kills.length} kills`,
    ),
    verdict(
      "journal: every ok entry is a real vendor write",
      phantomCreates.length === 0 && phantomDeletes.length === 0,
      `${phantomCreates.length} ok creates without that rule, ${phantomDeletes.length} ok deletes of a rule still present`,
    ),
    verdict(
      "journal: every vendor write is journaled, but the one in flight when a run was killed",
      unexplainedCreates === 0 &&
        killedOverOne.length === 0 &&
        deletesOutsideKills.length === 0 &&
        unjournaled <= kills.length,
      `${unjournaledCreates.length} unjournaled creates (${unexplainedCreates} not by a killed run nor after a failed step; ` +
        `${killedOverOne.length} killed runs with more than one), ${unjournaledDeletes.length} unjournaled deletes ` +
        `(${deletesOutsideKills.length} while no killed run was alive); ${unjournaled} in all vs ${kills.length} kills`,
    ),
  ];
}
