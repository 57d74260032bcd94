import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { BudgetReserve, VendorBudget } from "../secure-access/vendor-budget.js";

/** Outcome of one reconcile run: converged, finished with failed steps, refused by a guard, or aborted by an error. */
export type ReconcileOutcome = "success" | "failed_steps" | "refused" | "error";

/** Outcome of one webhook delivery as the server answered it. */
export type WebhookOutcome = "accepted" | "duplicate" | "unauthorized" | "too_large" | "bad_request" | "busy";

/** Every grantops metric, typed by its labels. Label values are bounded: never raw ids, paths or user input. */
export interface GrantopsMetrics {
  registry: Registry;
  reconcileRuns: Counter<"outcome">;
  reconcileDuration: Histogram<"outcome">;
  /**
   * Reconcile runs by scope: `partial` (a push planned by the grant files it changed) or `full`, with the reason a
   * run was full (`trigger`: startup, backstop tick or expiry timer; else why a push fell back).
   */
  reconcileScopes: Counter<"scope" | "reason">;
  planSteps: Counter<"kind" | "outcome">;
  vendorRequests: Counter<"route" | "status">;
  vendorRetries: Counter<"route">;
  expiryLag: Histogram;
  managedRules: Gauge;
  grantsInvalid: Gauge;
  grantsUnverified: Gauge;
  /** Rules deleted because no approved grant version explains them (docs/plan-and-safety.md). */
  unexplainedDeleted: Counter;
  /** Rules that only look like grantops' (never written), in the last run. */
  suspiciousRules: Gauge;
  lastSuccessTimestamp: Gauge;
  webhookDeliveries: Counter<"event" | "outcome">;
  /** Calls of each vendor window kept free of creates for revocations, read from `vendorBudgets` at each scrape. */
  vendorReserve: Gauge<"organization" | "window">;
  /** Calls counted in each vendor window now, read from `vendorBudgets` at each scrape. */
  vendorWindowUsed: Gauge<"organization" | "window">;
  /** The vendor budget of each organization's client (serve registers them through the clients' onBudget hook). */
  vendorBudgets: Map<string, VendorBudget>;
  notifications: Counter<"sink" | "outcome">;
}

const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const LAG_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

/**
 * Creates the grantops metrics (and Node's default process metrics) on `registry`. Call once per registry:
 * prom-client refuses to register the same name twice.
 */
export function createMetrics(registry: Registry = new Registry()): GrantopsMetrics {
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const vendorBudgets = new Map<string, VendorBudget>();
  /** A gauge per organization and vendor window, read from the registered budgets at each scrape. */
  const budgetGauge = (name: string, help: string, pick: (reserve: BudgetReserve) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["organization", "window"] as const,
      registers,
      collect(this: Gauge<"organization" | "window">): void {
        for (const [organization, budget] of vendorBudgets) {
          for (const reserve of budget.reserves())
            this.set({ organization, window: reserve.window }, pick(reserve));
        }
      },
    });
  return {
    vendorBudgets,
    registry,
    reconcileRuns: new Counter({
      name: "grantops_reconcile_runs_total",
      help: "Reconcile runs by outcome (success, failed_steps, refused, error).",
      labelNames: ["outcome"] as const,
      registers,
    }),
    reconcileDuration: new Histogram({
      name: "grantops_reconcile_duration_seconds",
      help: "Wall time of reconcile runs by outcome.",
      labelNames: ["outcome"] as const,
      buckets: DURATION_BUCKETS,
      registers,
    }),
    reconcileScopes: new Counter({
      name: "grantops_reconcile_scope_total",
      help: "Reconcile runs by scope (partial: a push planned by its changed grant files; full) and reason.",
      labelNames: ["scope", "reason"] as const,
      registers,
    }),
    planSteps: new Counter({
      name: "grantops_plan_steps_total",
      help: "Applied plan steps by kind (create, delete) and outcome (ok, failed, skipped).",
      labelNames: ["kind", "outcome"] as const,
      registers,
    }),
    vendorRequests: new Counter({
      name: "grantops_vendor_requests_total",
      help: "Secure Access API requests by route template and HTTP status (or 'network').",
      labelNames: ["route", "status"] as const,
      registers,
    }),
    vendorRetries: new Counter({
      name: "grantops_vendor_retries_total",
      help: "Retried Secure Access API requests by route template.",
      labelNames: ["route"] as const,
      registers,
    }),
    expiryLag: new Histogram({
      name: "grantops_expiry_lag_seconds",
      help: "Seconds between a grant's expiry and the deletion of its rule.",
      buckets: LAG_BUCKETS,
      registers,
    }),
    managedRules: gauge(
      "grantops_managed_rules",
      "Managed rules in Secure Access after the last run.",
      registers,
    ),
    grantsInvalid: gauge(
      "grantops_grants_invalid",
      "Grant files that failed validation in the last run.",
      registers,
    ),
    grantsUnverified: gauge(
      "grantops_grants_unverified",
      "Grants not granted in the last run because their approval could not be verified.",
      registers,
    ),
    unexplainedDeleted: new Counter({
      name: "grantops_unexplained_rules_deleted_total",
      help: "Rules deleted because they claimed to be grantops' and no valid, approved grant version in git explains them.",
      registers,
    }),
    suspiciousRules: gauge(
      "grantops_suspicious_rules",
      "Rules that only look like grantops' (prefix or marker-like text, no proof grantops made them) in the last run; never written.",
      registers,
    ),
    lastSuccessTimestamp: gauge(
      "grantops_last_success_timestamp_seconds",
      "Unix time of the last successful reconcile run.",
      registers,
    ),
    webhookDeliveries: new Counter({
      name: "grantops_webhook_deliveries_total",
      help: "Webhook deliveries by GitHub event name ('unverified' before the signature check) and outcome.",
      labelNames: ["event", "outcome"] as const,
      registers,
    }),
    vendorReserve: budgetGauge(
      "grantops_vendor_reserve_calls",
      "Calls of the vendor's policies rate window (minute, hour) that creates may not use: kept for the deletes of expiring and revoked access.",
      (reserve) => reserve.reserve,
    ),
    vendorWindowUsed: budgetGauge(
      "grantops_vendor_window_used_calls",
      "Policies-scope calls this process made within the vendor's rate window (minute, hour).",
      (reserve) => reserve.used,
    ),
    notifications: new Counter({
      name: "grantops_notifications_total",
      help: "Notification deliveries by sink (type:ENV_NAME) and outcome (sent, failed, dropped).",
      labelNames: ["sink", "outcome"] as const,
      registers,
    }),
  };
}

function gauge(name: string, help: string, registers: Registry[]): Gauge {
  return new Gauge({ name, help, registers });
}
