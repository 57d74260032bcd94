import { parseInstant } from "../core/time/instant.js";
import type { CreateStep, DeleteStep, Plan, PlanStep } from "../core/model/types.js";
import type { SecureAccessApi } from "../core/model/secure-access-types.js";
import type { JournalEntry } from "../core/model/journal-entry.js";
import type { Logger } from "../observability/create-logger.js";
import { journalEntryFor } from "../core/report/journal-entry-for.js";
import type { StepOutcome } from "../core/model/step-outcome.js";
import type { Journal } from "./journal.js";
import { errorMessage } from "../core/model/error-message.js";
import { watchExpiries } from "./watch-expiries.js";

/** Called after each step's outcome is journaled (or the journal write failed), in the order of the steps. */
export type OnOutcome = (outcome: StepOutcome, entry: JournalEntry) => void;

export interface ApplyDeps {
  api: SecureAccessApi;
  journal: Journal;
  clock: () => Date;
  logger: Logger;
  /** Aborting finishes the current step and skips the rest. */
  signal?: AbortSignal;
  /** Live progress (serve's metrics): sees every outcome as it happens, also of a run that throws later. */
  onOutcome?: OnOutcome;
}

export interface ApplyResult {
  outcomes: StepOutcome[];
  /** The journal entry of each outcome, in order (also those whose write failed: see journalErrors). */
  entries: JournalEntry[];
  failed: number;
  ok: number;
  skipped: number;
  /** Journal entries that could not be written (each one also logged as an error). */
  journalErrors: number;
  /** The steps that happened (or were tried) without their journal entry, e.g. "create grantops-x-1a2b3c (rule 7, ok)". */
  unrecorded: string[];
}

/**
 * Applies a plan's steps strictly in order, one at a time. A failed step never stops the others, except that
 * the "replaced" delete of a grant whose create failed is skipped: the old rule stays until the new one exists,
 * so access never lapses. A create whose grant expired while the run was under way (retries can take a while)
 * is skipped, and a rule whose create only completed after its expiry is deleted at once. A kept rule whose
 * expiry passes during the run is deleted then (watchExpiries), not at the next run. Every outcome goes to the
 * journal and the log.
 */
export async function applyPlan(plan: Plan, deps: ApplyDeps): Promise<ApplyResult> {
  const failedCreates = new Set<string>();
  const outcomes: StepOutcome[] = [];
  const entries: JournalEntry[] = [];
  const unrecorded: string[] = [];
  const record = async (each: StepOutcome): Promise<void> => {
    const reported = await report(plan, each, deps);
    outcomes.push(each);
    entries.push(reported.entry);
    if (!reported.written) unrecorded.push(describeOutcome(each));
    deps.onOutcome?.(each, reported.entry);
  };
  // A kept rule expiring during the run is deleted at its expiry, ahead of the remaining steps.
  const watch = watchExpiries(plan.kept, deps.clock, async (step) => {
    if (deps.signal?.aborted !== true) await record(await runStep(step, deps, failedCreates));
  });
  for (const step of plan.steps) {
    await watch.due();
    const stepOutcomes = [await runStep(step, deps, failedCreates)];
    const [outcome] = stepOutcomes as [StepOutcome];
    if (step.kind === "create" && outcome.outcome !== "ok" && outcome.error?.code !== EXPIRED_BEFORE_CREATE) {
      failedCreates.add(step.grantId);
    }
    if (
      step.kind === "create" &&
      outcome.outcome === "ok" &&
      outcome.ruleId !== undefined &&
      isPast(step.expiresAt, deps)
    ) {
      stepOutcomes.push(await runStep(lateExpiry(step, outcome.ruleId), deps, failedCreates));
    }
    for (const each of stepOutcomes) await record(each);
  }
  await watch.stop();
  const count = (kind: StepOutcome["outcome"]): number => outcomes.filter((o) => o.outcome === kind).length;
  return {
    outcomes,
    entries,
    ok: count("ok"),
    failed: count("failed"),
    skipped: count("skipped"),
    journalErrors: unrecorded.length,
    unrecorded,
  };
}

/** "create grantops-x-1a2b3c (rule 7, ok)": which step a missing journal entry was for. */
function describeOutcome({ step, outcome, ruleId }: StepOutcome): string {
  const what = step.kind === "create" ? `create ${step.rule.ruleName}` : `delete ${step.ruleName}`;
  return `${what} (${ruleId === undefined ? "" : `rule ${ruleId}, `}${outcome})`;
}

/** The error code of a create skipped because its grant expired before the step's turn came. */
export const EXPIRED_BEFORE_CREATE = "expired-before-create";

function isPast(instant: string, deps: ApplyDeps): boolean {
  return (parseInstant(instant) ?? Infinity) <= deps.clock().getTime();
}

/** The delete of a rule whose create completed only after the grant's expiry. */
function lateExpiry(step: CreateStep, ruleId: number): DeleteStep {
  return {
    kind: "delete",
    ruleId,
    ruleName: step.rule.ruleName,
    grantId: step.grantId,
    reason: "expired",
    expiresAt: step.expiresAt,
  };
}

async function runStep(step: PlanStep, deps: ApplyDeps, failedCreates: Set<string>): Promise<StepOutcome> {
  if (deps.signal?.aborted === true) return { step, outcome: "skipped" };
  if (step.kind === "create" && isPast(step.expiresAt, deps)) {
    const message = `grant ${step.grantId} expired at ${step.expiresAt} before its rule could be created`;
    return { step, outcome: "skipped", error: { code: EXPIRED_BEFORE_CREATE, message } };
  }
  if (
    step.kind === "delete" &&
    step.reason === "replaced" &&
    step.grantId !== null &&
    failedCreates.has(step.grantId)
  ) {
    return { step, outcome: "skipped" };
  }
  try {
    return step.kind === "create" ? await create(step, deps.api) : await remove(step, deps.api);
  } catch (error) {
    return { step, outcome: "failed", error: { code: errorCode(error), message: errorMessage(error) } };
  }
}

/**
 * The client's create is idempotent by name: a rule already made with this exact content (a lost reply, another
 * replica, a crash before the journal line) comes back marked `existing`, so the step is ok with that rule's id and
 * is journaled as `adopted` (one truth for many writers: the journal holds one successful create per rule).
 * A name taken by a rule with other content fails the step (RULE_NAME_TAKEN).
 */
async function create(step: CreateStep, api: SecureAccessApi): Promise<StepOutcome> {
  const rule = await api.createRule(step.rule);
  return { step, outcome: "ok", ruleId: rule.ruleId, ...(rule.existing === true ? { adopted: true } : {}) };
}

async function remove(step: DeleteStep, api: SecureAccessApi): Promise<StepOutcome> {
  const expiresAtMs = step.reason === "expired" ? parseInstant(step.expiresAt ?? "") : null;
  await api.deleteRule(step.ruleId, expiresAtMs === null ? {} : { expiresAtMs });
  return { step, outcome: "ok", ruleId: step.ruleId };
}

/** Journal and log one outcome; `written` is false when the journal could not be written (the step itself stands). */
async function report(
  plan: Plan,
  outcome: StepOutcome,
  deps: ApplyDeps,
): Promise<{ entry: JournalEntry; written: boolean }> {
  const entry = journalEntryFor(plan, outcome, deps.clock());
  const level = outcome.outcome === "failed" ? "error" : outcome.outcome === "skipped" ? "warn" : "info";
  deps.logger[level]({ journal: entry }, `${entry.action} ${entry.ruleName}: ${entry.outcome}`);
  try {
    await deps.journal.record(entry);
    return { entry, written: true };
  } catch (error) {
    deps.logger.error({ err: error, journal: entry }, "could not write the journal entry");
    return { entry, written: false };
  }
}

function errorCode(error: unknown): string {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : "internal";
}
