import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { GrantopsMetrics, ReconcileOutcome } from "../observability/create-metrics.js";
import { createPrPlanQueue } from "./schedule/pr-plan-queue.js";
import type { ServeConfig } from "./read-serve-config.js";
import { routeEvent } from "./http/route-event.js";
import { createScheduler } from "./schedule/scheduler.js";
import { createSingleFlight } from "./schedule/single-flight.js";
import { startWebhookServer, type HealthReport, type WebhookEvent } from "./http/webhook-server.js";
import { createStatusRoutes } from "./http/status-routes.js";
import { createStatusBoard, type RunStatus, type StatusBoard } from "./run/status-board.js";
import type { JournalEntry } from "../core/model/journal-entry.js";

/** What one reconcile run reports back to the server. */
export interface ServeReconcileResult {
  /** True when the run converged (no failed step, not refused). */
  ok: boolean;
  /** The plan's nextWakeAt (ISO-8601): the earliest future expiry or start. */
  nextWakeAt: string | null;
  /** Finer outcome for metrics; default "success" when ok, else "failed_steps". */
  outcome?: ReconcileOutcome;
  /** False when the vendor could not be reached; default true for a run that returned. */
  vendorReachable?: boolean;
  /** What the status page shows of this run (absent: the last known status stays). */
  status?: RunStatus;
}

export interface ServeDeps {
  reconcile: (reasons: string[]) => Promise<ServeReconcileResult>;
  planPullRequest: (pullNumber: number, headSha: string) => Promise<void>;
  logger: Logger;
  metrics: GrantopsMetrics;
  registry: Registry;
  clock: () => Date;
  /** The journal as read at startup: the status page's recent expiry lags survive a restart. */
  journal?: readonly JournalEntry[];
}

export interface ServeHandle {
  url: string;
  /** Stops taking work, finishes the current run and PR plan, closes the server. */
  close(): Promise<void>;
}

/** What the status page counts as expiring soon. */
const STATUS_WITHIN_MS = 60 * 60 * 1000;
/** A run that returns a wake instant not after its own start is a planner bug: wait this long instead of spinning. */
const STALE_WAKE_DELAY_MS = 1000;
/** Wake slightly after the instant so the run sees the grant as expired. */
const WAKE_MARGIN_MS = 10;

interface RunState {
  lastRunAt: number | null;
  lastSuccessAt: number | null;
  lastOutcome: ReconcileOutcome | null;
  vendorReachable: boolean;
  nextWakeAt: string | null;
}

/**
 * Runs grantops continuously: the webhook server, a single-flight reconcile runner (at startup, on pushes to the
 * default branch, on a periodic backstop tick and precisely at each plan's nextWakeAt), and a serial PR plan queue.
 */
export async function startServe(config: ServeConfig, deps: ServeDeps): Promise<ServeHandle> {
  const logger = deps.logger.child({ component: "serve" });
  const now = (): number => deps.clock().getTime();
  const state: RunState = {
    lastRunAt: null,
    lastSuccessAt: null,
    lastOutcome: null,
    vendorReachable: false,
    nextWakeAt: null,
  };
  const scheduler = createScheduler({
    intervalMs: config.intervalMs,
    clock: now,
    onTick: (reason) => runner.trigger(reason === "wake" ? "timer" : "interval"),
  });
  const board = createStatusBoard({
    repository: config.githubRepository ?? null,
    withinMs: STATUS_WITHIN_MS,
    ...(deps.journal === undefined ? {} : { journal: deps.journal }),
  });
  const runner = createSingleFlight(async (reasons) => {
    const startedAt = now();
    const result = await reconcileOnce(deps, state, reasons, logger);
    recordOnBoard(board, state, { startedAt, finishedAt: now(), reasons }, result);
    if (result) scheduler.wakeAt(wakeInstant(result.nextWakeAt, startedAt, now(), logger));
  }, logger);
  const prQueue = createPrPlanQueue(deps.planPullRequest, logger);
  const onEvent = (event: WebhookEvent): void => {
    const route = routeEvent(event, { defaultBranch: config.branch, repo: config.githubRepository });
    logger.info(
      { deliveryId: event.id, event: event.name, route: route.kind, reason: route.reason },
      "webhook",
    );
    if (route.kind === "reconcile") runner.trigger(route.reason);
    else if (route.kind === "plan-pr") prQueue.enqueue(route.pullNumber, route.headSha);
  };
  const server = await startWebhookServer({
    host: config.host,
    port: config.port,
    secret: config.webhookSecret,
    logger: deps.logger,
    metrics: deps.metrics,
    registry: deps.registry,
    onEvent,
    health: () => readiness(state, now(), config.intervalMs),
    extraRoutes: createStatusRoutes({
      access: config.statusAccess,
      report: () => {
        const health = readiness(state, now(), config.intervalMs);
        const { lastSuccessAt, vendorReachable } = health.details;
        return board.report(
          deps.clock(),
          { ready: health.ready, lastSuccessAt, vendorReachable },
          state.nextWakeAt,
        );
      },
    }),
  });
  runner.trigger("startup");
  scheduler.start();
  return {
    url: server.url,
    async close() {
      scheduler.stop();
      const serverClosed = server.close();
      await Promise.all([runner.close(), prQueue.close()]);
      await serverClosed;
      logger.info("stopped");
    },
  };
}

async function reconcileOnce(
  deps: ServeDeps,
  state: RunState,
  reasons: string[],
  logger: Logger,
): Promise<ServeReconcileResult | null> {
  const stopTimer = deps.metrics.reconcileDuration.startTimer();
  state.lastRunAt = deps.clock().getTime();
  try {
    const result = await deps.reconcile(reasons);
    const outcome = result.outcome ?? (result.ok ? "success" : "failed_steps");
    record(deps, state, outcome, result.vendorReachable ?? true, stopTimer);
    state.nextWakeAt = result.nextWakeAt;
    logger.info({ reasons, outcome, nextWakeAt: result.nextWakeAt }, "reconcile finished");
    return result;
  } catch (error) {
    record(deps, state, "error", false, stopTimer);
    logger.error({ err: error, reasons }, "reconcile failed");
    return null;
  }
}

function record(
  deps: ServeDeps,
  state: RunState,
  outcome: ReconcileOutcome,
  vendorReachable: boolean,
  stopTimer: (labels: { outcome: string }) => number,
): void {
  stopTimer({ outcome });
  deps.metrics.reconcileRuns.inc({ outcome });
  state.lastOutcome = outcome;
  state.vendorReachable = vendorReachable;
  if (outcome === "success") {
    state.lastSuccessAt = deps.clock().getTime();
    deps.metrics.lastSuccessTimestamp.set(state.lastSuccessAt / 1000);
  }
}

function recordOnBoard(
  board: StatusBoard,
  state: RunState,
  run: { startedAt: number; finishedAt: number; reasons: string[] },
  result: ServeReconcileResult | null,
): void {
  board.recordRun({ ...run, outcome: state.lastOutcome ?? "error" }, result?.status);
}

function wakeInstant(
  nextWakeAt: string | null,
  startedAt: number,
  now: number,
  logger: Logger,
): number | null {
  if (nextWakeAt === null) return null;
  const instant = Date.parse(nextWakeAt);
  if (Number.isNaN(instant)) {
    logger.warn({ nextWakeAt }, "ignoring an unreadable nextWakeAt");
    return null;
  }
  if (instant <= startedAt) {
    logger.warn({ nextWakeAt }, "nextWakeAt is not after the run's start; waking later");
    return now + STALE_WAKE_DELAY_MS;
  }
  return instant + WAKE_MARGIN_MS;
}

interface Readiness extends HealthReport {
  details: {
    lastRunAt: string | null;
    lastSuccessAt: string | null;
    lastOutcome: ReconcileOutcome | null;
    vendorReachable: boolean;
    nextWakeAt: string | null;
  };
}

/** Ready when the last successful reconcile is within three intervals and the vendor was reachable in the last run. */
function readiness(state: RunState, now: number, intervalMs: number): Readiness {
  const fresh = state.lastSuccessAt !== null && now - state.lastSuccessAt <= 3 * intervalMs;
  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
  return {
    ready: fresh && state.vendorReachable,
    details: {
      lastRunAt: iso(state.lastRunAt),
      lastSuccessAt: iso(state.lastSuccessAt),
      lastOutcome: state.lastOutcome,
      vendorReachable: state.vendorReachable,
      nextWakeAt: state.nextWakeAt,
    },
  };
}
