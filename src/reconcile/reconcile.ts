import { applyPlan, type OnOutcome } from "./apply-plan.js";
import type { Journal } from "./journal.js";
import {
  organizationsOf,
  ownershipOf,
  planOrganizationRun,
  prepareRun,
  readWithListings,
  type PlanRunDeps,
  type PlanRunOptions,
} from "./plan-run.js";
import { summarizeRun } from "./summarize-run.js";
import type { OrganizationPlan, OrganizationRun, RunRecord } from "./run-record.js";
import type { Logger } from "../observability/create-logger.js";
import type { SecureAccessApi } from "../core/model/secure-access-types.js";
import type { Plan, Problem } from "../core/model/types.js";
import { parseInstant } from "../core/time/instant.js";
import { ExitCode } from "../core/model/exit-codes.js";
import type { JournalPublisher, PublishReport } from "../journal/publish-journal.js";

export type ReconcileOptions = PlanRunOptions;

export interface ReconcileDeps extends PlanRunDeps {
  logger: Logger;
  journal: Journal;
  /**
   * Publishes the journal's pending entries to the journal branch: called before the run (leftovers of an
   * earlier run) and after it. Absent: the journal stays in the local file.
   */
  publisher?: JournalPublisher;
  signal?: AbortSignal;
  /** Sees each applied step's outcome and journal entry as it happens (live progress, metrics). */
  onOutcome?: OnOutcome;
}

/**
 * A reconcile run (see docs/architecture.md): plan each organization (read, resolve, verify, plan, guard) and,
 * when its guards pass, apply its plan (writes, journal). Organizations are planned and applied one after
 * the other. Returns the run record: plans, approvals, each step's outcome and journal entry, rules' PRs.
 */
export async function reconcile(options: ReconcileOptions, deps: ReconcileDeps): Promise<RunRecord> {
  return (await publishing(deps, () => reconcileOnce(options, deps)))!;
}

/**
 * Runs `work` between two publishes of the journal: the leftovers of an earlier run before, this run's after
 * (`work` answering null applied nothing: the leftovers alone are published).
 */
export async function publishing(
  deps: Pick<ReconcileDeps, "publisher">,
  work: () => Promise<RunRecord | null>,
): Promise<RunRecord | null> {
  const leftovers = await deps.publisher?.publish();
  let record: RunRecord | null;
  try {
    record = await work();
  } catch (error) {
    await deps.publisher?.publish();
    throw error;
  }
  if (record === null) return null;
  const published = await deps.publisher?.publish();
  return published === undefined ? record : withPublish(record, published, leftovers?.published ?? 0);
}

/** The run record with what publishing the journal did; exit 6 when entries are left pending and all else is ok. */
function withPublish(record: RunRecord, report: PublishReport, leftovers: number): RunRecord {
  const journal = { ...report, published: report.published + leftovers };
  const exitCode =
    report.pending > 0 && record.exitCode === ExitCode.ok ? ExitCode.unpublished : record.exitCode;
  return { ...record, journal, exitCode };
}

async function reconcileOnce(options: ReconcileOptions, deps: ReconcileDeps): Promise<RunRecord> {
  const now = deps.clock();
  const ownership = await ownershipOf(deps);
  // Creates and deletes go through the tracker: a create's answer verifies the new rule.
  const { state, listings } = await readWithListings(
    options,
    { ...deps, ownership },
    now,
    (alias, organization) => ownership.wrap(deps.apiFor(alias, organization), organization.orgId),
  );
  const run = await prepareRun(state, now, deps.git, deps.landingCache);
  const problems: Problem[] = [...state.problems];
  const organizations: OrganizationRun[] = [];
  for (const [alias, organization] of organizationsOf(run.policy)) {
    const { api, rules } = listings.of(alias, organization);
    const result = await planOrganizationRun(run, { alias, organization, api, rules }, options, {
      ...deps,
      ownership,
    });
    problems.push(...result.problems);
    organizations.push({ ...result.planned, applied: await applyIfAllowed(result.planned, api, deps) });
  }
  await ownership.save();
  return summarizeRun(state, problems, organizations, true);
}

/** Applies an organization's plan unless a guard refused it or the saved plan is stale. */
export async function applyIfAllowed(planned: OrganizationPlan, api: SecureAccessApi, deps: ReconcileDeps) {
  if (!planned.check.ok || planned.stale) return null;
  api.expectExpiries?.(...expiriesOf(planned.plan));
  return applyPlan(planned.plan, {
    api,
    journal: deps.journal,
    clock: deps.clock,
    logger: deps.logger,
    ...(deps.signal === undefined ? {} : { signal: deps.signal }),
    ...(deps.onOutcome === undefined ? {} : { onOutcome: deps.onOutcome }),
  });
}

/** The expiries of the rules the plan keeps, holds, creates or deletes as expired, and the number of rules listed. */
function expiriesOf(plan: Plan): [number[], number] {
  const instants = [
    ...plan.kept.map((rule) => rule.expiresAt),
    ...plan.held.map((rule) => rule.expiresAt),
    ...plan.steps.flatMap((step) =>
      step.kind === "create"
        ? [step.expiresAt]
        : step.reason === "expired" && step.expiresAt
          ? [step.expiresAt]
          : [],
    ),
  ];
  const ms = instants.map((instant) => parseInstant(instant)).filter((at): at is number => at !== null);
  const rules = Object.values(plan.counts).reduce((sum, count) => sum + count, 0);
  return [ms, rules];
}
