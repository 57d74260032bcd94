import type { GrantopsMetrics } from "../../observability/create-metrics.js";
import type { JournalEntry } from "../../core/model/journal-entry.js";
import type { RunRecord } from "../../reconcile/run-record.js";

/** Counts one applied step by kind and outcome (called as each step is applied: see reconcile's onOutcome). */
export function recordStepMetric(
  metrics: GrantopsMetrics,
  entry: Pick<JournalEntry, "action" | "outcome">,
): void {
  metrics.planSteps.inc({ kind: entry.action, outcome: entry.outcome });
}

/**
 * Records what one finished reconcile run did, from its record (runs, durations and the last success are
 * recorded by the server itself, applied steps as they happen): managed rules after the run, invalid and
 * unverified grants, and the expiry lag of every expired rule deleted (apply time minus the expiry in its
 * marker, from the journal entries).
 */
export function recordRunMetrics(metrics: GrantopsMetrics, result: RunRecord): void {
  for (const entry of result.organizations.flatMap((org) => org.applied?.entries ?? [])) {
    if (entry.reason === "expired" && entry.outcome === "ok" && entry.lagSeconds !== null) {
      metrics.expiryLag.observe(Math.max(0, entry.lagSeconds));
    }
  }
  metrics.managedRules.set(managedAfter(result));
  metrics.grantsInvalid.set(invalidGrantFiles(result));
  metrics.grantsUnverified.set(result.organizations.reduce((n, org) => n + org.plan.unapproved.length, 0));
  // Ownership (issue 10): forged or unexplained rules removed, and rules that only look like grantops'.
  for (const entry of result.organizations.flatMap((org) => org.applied?.entries ?? [])) {
    if (entry.reason === "unexplained" && entry.outcome === "ok") metrics.unexplainedDeleted.inc();
  }
  metrics.suspiciousRules.set(result.organizations.reduce((n, org) => n + org.plan.suspicious.length, 0));
}

/** Managed (and unverified) rules before the run, plus rules created, minus managed rules deleted (tampered ones never counted). */
export function managedAfter(result: RunRecord): number {
  let total = 0;
  for (const org of result.organizations) {
    // Unverified rules (conditions not seen yet, e.g. created less than the timestamp granularity ago) stand for
    // their grants too.
    total += org.plan.counts.managed + org.plan.counts.unverified;
    for (const outcome of org.applied?.outcomes ?? []) {
      if (outcome.outcome !== "ok") continue;
      if (outcome.step.kind === "create") total += 1;
      else if (outcome.step.reason !== "tampered") total -= 1;
    }
  }
  return Math.max(0, total);
}

/** Grant files with at least one error (invalid files, and grants whose users or resources cannot be found). */
export function invalidGrantFiles(result: RunRecord): number {
  const files = new Set(
    result.problems
      .filter((problem) => problem.severity === "error" && problem.file.startsWith("grants/"))
      .map((problem) => problem.file),
  );
  return files.size;
}
