import { publishPullRequestPlan } from "../../pull-request/publish-pull-request-plan.js";
import type { ApprovalVerifier, PlanLimits } from "../../core/model/types.js";
import type { SecureAccessApi } from "../../core/model/secure-access-types.js";
import type { Organization } from "../../core/model/generated/policy-file.js";
import type { Logger } from "../../observability/create-logger.js";
import type { OwnershipTracker } from "../../reconcile/ownership-tracker.js";
import type { LandingCache } from "../../git/landing-times.js";
import type { GrantopsMetrics } from "../../observability/create-metrics.js";
import type { Journal } from "../../reconcile/journal.js";
import type { JournalPublisher } from "../../journal/publish-journal.js";
import { reconcile } from "../../reconcile/reconcile.js";
import { reconcilePush } from "../../reconcile/reconcile-push.js";
import type { PushBase } from "../../reconcile/plan-push.js";
import { pushBaseOf } from "../../reconcile/push-base-of.js";
import { isPushOnly, type FullReason } from "../../core/plan/push-scope.js";
import type { StepOutcome } from "../../core/model/step-outcome.js";
import type { JournalEntry } from "../../core/model/journal-entry.js";
import type { ServeDeps, ServeReconcileResult } from "../serve.js";
import type { GitHubTarget } from "../../github/github-target.js";
import { liveApprovalChecker } from "../../github/live-approval-checker.js";
import { planPullRequest } from "../../pull-request/plan-pull-request.js";
import { recordRunMetrics, recordStepMetric } from "./record-run-metrics.js";
import { reportRunToPullRequests } from "../../pull-request/report-run-to-pull-requests.js";
import { failedRunResult, serveResultOf } from "./serve-result.js";
import type { RunRecord } from "../../reconcile/run-record.js";
import { statusSourcesOf } from "../../reconcile/status-sources-of.js";
import type { RunStatus } from "./status-board.js";
import type { Notifier } from "../../notify/create-notifier.js";

export interface ServeHandlerSettings {
  /** The grants repository: a local path or a clone URL (fetched every run). */
  repo: string;
  /** The branch grants land on; undefined = the repository's default branch. */
  branch: string | undefined;
  /** Clones of a URL repository for reconcile runs. */
  cacheDir: string;
  /** Clones for pull request plans (separate, so plans never contend with runs for git locks). */
  prCacheDir: string;
  policyPath: string;
  rulePrefix: string;
  limits: PlanLimits;
  /** After a run that threw, run again this soon (default 15 s). */
  retryAfterErrorMs?: number;
}

export interface ServeHandlerDeps {
  clock: () => Date;
  logger: Logger;
  journal: Journal;
  /** Publishes the journal to the journal branch before and after each run (absent: the local file only). */
  publisher?: JournalPublisher;
  verifier: ApprovalVerifier;
  apiFor: (alias: string, organization: Organization) => SecureAccessApi;
  /** Ownership verification kept across runs (state file); default: in memory per run. */
  ownership?: OwnershipTracker;
  /** The landing-times cache of the state directory; default: none (history walked back every run). */
  landingCache?: LandingCache;
  metrics: GrantopsMetrics;
  /** null: GitHub is not configured (PR plans are only logged, no status updates). */
  github: GitHubTarget | null;
  /** Aborting finishes the current step of an apply and skips the rest. */
  signal?: AbortSignal;
  /** Hears about each finished run (policy.yaml `notify:`); never delays or fails it. */
  notifier?: Notifier;
}

export type ServeHandlers = Pick<ServeDeps, "reconcile" | "planPullRequest">;

const DEFAULT_RETRY_AFTER_ERROR_MS = 15_000;

/**
 * The work `grantops serve` does: a reconcile run (apply) of the configured branch, with metrics and PR status
 * updates, and the read-only plan of a pull request, published as its sticky comment and check run.
 */
export function createServeHandlers(settings: ServeHandlerSettings, deps: ServeHandlerDeps): ServeHandlers {
  const logger = deps.logger.child({ component: "serve-handlers" });
  const noticed = new Set<string>();
  let knownWake: string | null = null;

  let base: PushBase | null = null;
  const reconcileOptions = {
    repo: settings.repo,
    ...(settings.branch === undefined ? {} : { ref: settings.branch }),
    cacheDir: settings.cacheDir,
    policyPath: settings.policyPath,
    rulePrefix: settings.rulePrefix,
    limits: settings.limits,
  };
  const reconcileDeps = {
    clock: deps.clock,
    logger: deps.logger,
    journal: deps.journal,
    ...(deps.publisher === undefined ? {} : { publisher: deps.publisher }),
    verifier: deps.verifier,
    apiFor: deps.apiFor,
    // Steps count as they are applied, so a run that throws later still counts the ones it applied.
    onOutcome: (_outcome: StepOutcome, entry: JournalEntry) => recordStepMetric(deps.metrics, entry),
    ...(deps.ownership === undefined ? {} : { ownership: deps.ownership }),
    ...(deps.landingCache === undefined ? {} : { landingCache: deps.landingCache }),
    ...(deps.signal === undefined ? {} : { signal: deps.signal }),
  };

  /** A push is planned by the grant files it changed when it can be; anything else is a full reconcile. */
  const scopedRun = async (reasons: string[]): Promise<{ record: RunRecord; scope: RunScope }> => {
    let reason: FullReason = "trigger";
    if (isPushOnly(reasons)) {
      const pushed = await reconcilePush(reconcileOptions, reconcileDeps, base);
      if (pushed.kind === "partial") {
        const scope = { kind: "partial", grants: pushed.grantIds.length, commits: pushed.commits } as const;
        return { record: pushed.record, scope };
      }
      reason = pushed.reason;
      logger.info({ reasons, fallback: reason, detail: pushed.detail }, "push planned in full");
    }
    base = null; // a run that throws leaves the world unknown
    return { record: await reconcile(reconcileOptions, reconcileDeps), scope: { kind: "full", reason } };
  };

  const reconcileRun = async (reasons: string[]): Promise<ServeReconcileResult> => {
    try {
      const { record: result, scope } = await scopedRun(reasons);
      base = pushBaseOf(result);
      deps.metrics.reconcileScopes.inc(
        scope.kind === "partial"
          ? { scope: "partial", reason: "push" }
          : { scope: "full", reason: scope.reason },
      );
      recordRunMetrics(deps.metrics, result);
      logRun(logger, reasons, result, scope);
      if (deps.github !== null) {
        await reportRunToPullRequests({ github: deps.github, result, logger, noticed });
      }
      knownWake = result.nextWakeAt;
      const status = runStatusOf(result);
      deps.notifier?.observe(status.organizations, result.policy ?? null);
      return { ...serveResultOf(result), status };
    } catch (error) {
      base = null;
      logger.error({ err: error, reasons }, "reconcile run failed");
      const retryMs = settings.retryAfterErrorMs ?? DEFAULT_RETRY_AFTER_ERROR_MS;
      return failedRunResult(error, deps.clock(), retryMs, knownWake);
    }
  };

  const planPull = async (pullNumber: number, headSha: string): Promise<void> => {
    const plan = await planPullRequest(
      {
        repo: settings.repo,
        ...(settings.branch === undefined ? {} : { branch: settings.branch }),
        cacheDir: settings.prCacheDir,
        policyPath: settings.policyPath,
        rulePrefix: settings.rulePrefix,
        limits: settings.limits,
        pullNumber,
        headSha,
      },
      {
        clock: deps.clock,
        logger: deps.logger,
        verifier: deps.verifier,
        apiFor: deps.apiFor,
        liveApproval: deps.github === null ? null : liveApprovalChecker(deps.github, pullNumber, deps.clock),
      },
    );
    await publishPullRequestPlan(plan, deps.github, logger);
  };

  return { reconcile: reconcileRun, planPullRequest: planPull };
}

/** How a run was planned: the changes of a push, or everything (and why). */
type RunScope = { kind: "partial"; grants: number; commits: number } | { kind: "full"; reason: FullReason };

/** What the status page keeps of a run: the organizations as the run left them and the entries it wrote. */
function runStatusOf(result: RunRecord): RunStatus {
  return {
    commit: result.commit,
    organizations: statusSourcesOf(result.organizations),
    entries: result.organizations.flatMap((org) => org.applied?.entries ?? []),
  };
}

function logRun(logger: Logger, reasons: string[], result: RunRecord, scope: RunScope): void {
  const steps = result.organizations.flatMap((org) => org.applied?.outcomes ?? []);
  logger.info(
    {
      reasons,
      scope: scope.kind,
      ...(scope.kind === "full"
        ? { fullReason: scope.reason }
        : { grants: scope.grants, commits: scope.commits }),
      commit: result.commit,
      exitCode: result.exitCode,
      ok: steps.filter((s) => s.outcome === "ok").length,
      failed: steps.filter((s) => s.outcome === "failed").length,
      skipped: steps.filter((s) => s.outcome === "skipped").length,
      problems: result.problems.length,
      nextWakeAt: result.nextWakeAt,
    },
    "reconcile run done",
  );
  for (const org of result.organizations) {
    if (!org.check.ok) {
      logger.warn(
        { organization: org.plan.organization, code: org.check.code },
        `refused: ${org.check.message}`,
      );
    }
  }
}
