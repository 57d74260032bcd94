import type { JournalEntry } from "../../core/model/journal-entry.js";
import type { RunSummary, StatusHealth, StatusReport, StatusSource } from "../../core/model/status-report.js";
import { RECENT_LIMIT, statusOf } from "../../core/status/status-of.js";
import { toInstant } from "../../core/time/instant.js";

/** What a finished reconcile run gives the status page: its organizations and the journal entries it wrote. */
export interface RunStatus {
  commit: string | null;
  organizations: StatusSource[];
  entries: JournalEntry[];
}

export interface StatusBoard {
  /** Records a finished run (status undefined: the run threw; the last known organizations stay). */
  recordRun(
    run: { startedAt: number; finishedAt: number; reasons: string[]; outcome: string },
    status?: RunStatus,
  ): void;
  /** The report at `now`, from memory only (no vendor or git call per page view). */
  report(now: Date, health: StatusHealth, nextWakeAt: string | null): StatusReport;
}

export interface StatusBoardOptions {
  repository: string | null;
  withinMs: number;
  /** Journal entries read at startup, so recent expiry lags survive a restart. */
  journal?: readonly JournalEntry[];
}

/** serve's memory of its last runs, for GET /status and /status.json: bounded (the last 20 runs and expiries). */
export function createStatusBoard(options: StatusBoardOptions): StatusBoard {
  const runs: RunSummary[] = [];
  let organizations: StatusSource[] = [];
  let expiries: JournalEntry[] = (options.journal ?? []).filter(isExpiry).slice(-RECENT_LIMIT);
  return {
    recordRun(run, status) {
      const entries = status?.entries ?? [];
      runs.push({
        startedAt: toInstant(run.startedAt),
        finishedAt: toInstant(run.finishedAt),
        outcome: run.outcome,
        reasons: [...run.reasons],
        commit: status?.commit ?? null,
        created: entries.filter((e) => e.action === "create" && e.outcome === "ok").length,
        deleted: entries.filter((e) => e.action === "delete" && e.outcome === "ok").length,
        failed: entries.filter((e) => e.outcome === "failed").length,
      });
      if (runs.length > RECENT_LIMIT) runs.splice(0, runs.length - RECENT_LIMIT);
      if (status !== undefined) organizations = status.organizations;
      expiries = [...expiries, ...entries.filter(isExpiry)].slice(-RECENT_LIMIT);
    },
    report(now, health, nextWakeAt) {
      return statusOf(
        {
          source: "serve",
          organizations,
          journal: expiries,
          runs,
          nextWakeAt,
          health,
          repository: options.repository,
          withinMs: options.withinMs,
        },
        now,
      );
    },
  };
}

function isExpiry(entry: JournalEntry): boolean {
  return (
    entry.action === "delete" &&
    entry.reason === "expired" &&
    entry.outcome === "ok" &&
    entry.lagSeconds !== null
  );
}
