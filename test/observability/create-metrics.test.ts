import { describe, expect, it } from "vitest";
import { Registry } from "prom-client";
import { createMetrics } from "../../src/observability/create-metrics.js";
import { createVendorBudget } from "../../src/secure-access/vendor-budget.js";

const NAMES = [
  "grantops_reconcile_runs_total",
  "grantops_reconcile_duration_seconds",
  "grantops_plan_steps_total",
  "grantops_vendor_requests_total",
  "grantops_vendor_retries_total",
  "grantops_expiry_lag_seconds",
  "grantops_managed_rules",
  "grantops_grants_invalid",
  "grantops_grants_unverified",
  "grantops_last_success_timestamp_seconds",
  "grantops_webhook_deliveries_total",
  "grantops_vendor_reserve_calls",
  "grantops_vendor_window_used_calls",
];

describe("createMetrics", () => {
  it("exposes each organization's vendor reserve and window usage at scrape time", async () => {
    const metrics = createMetrics();
    let now = 0;
    const budget = createVendorBudget({ now: () => now, baseReserve: 25 });
    metrics.vendorBudgets.set("acme", budget);
    budget.expectExpiries([30_000, 30_000, 1_800_000], 2500);
    await budget.acquire("read");
    now = 1_000;
    const text = await metrics.registry.metrics();
    // 25 + 3 listing pages + 2 expiries within the minute (3 within the hour).
    expect(text).toContain('grantops_vendor_reserve_calls{organization="acme",window="minute"} 30');
    expect(text).toContain('grantops_vendor_reserve_calls{organization="acme",window="hour"} 31');
    expect(text).toContain('grantops_vendor_window_used_calls{organization="acme",window="minute"} 1');
  });

  it("registers every grantops metric and the default process metrics on the given registry", async () => {
    const registry = new Registry();
    const metrics = createMetrics(registry);
    expect(metrics.registry).toBe(registry);
    const names = (await registry.getMetricsAsJSON()).map((m) => m.name);
    for (const name of NAMES) expect(names).toContain(name);
    expect(names).toContain("process_resident_memory_bytes");
  });

  it("records labelled values in the Prometheus text format", async () => {
    const metrics = createMetrics();
    metrics.reconcileRuns.inc({ outcome: "success" });
    metrics.planSteps.inc({ kind: "delete", outcome: "ok" }, 3);
    metrics.vendorRequests.inc({ route: "/policies/v2/rules/{id}", status: "204" });
    metrics.expiryLag.observe(0.7);
    metrics.managedRules.set(12);
    const text = await metrics.registry.metrics();
    expect(text).toContain('grantops_reconcile_runs_total{outcome="success"} 1');
    expect(text).toContain('grantops_plan_steps_total{kind="delete",outcome="ok"} 3');
    expect(text).toContain('grantops_vendor_requests_total{route="/policies/v2/rules/{id}",status="204"} 1');
    expect(text).toContain('grantops_expiry_lag_seconds_bucket{le="1"} 1');
    expect(text).toContain('grantops_expiry_lag_seconds_bucket{le="0.5"} 0');
    expect(text).toContain('grantops_expiry_lag_seconds_bucket{le="300"} 1');
    expect(text).toContain("grantops_managed_rules 12");
  });

  it("keeps separate registries independent", async () => {
    const a = createMetrics(new Registry());
    const b = createMetrics(new Registry());
    a.grantsInvalid.set(2);
    expect(await b.registry.metrics()).toContain("grantops_grants_invalid 0");
  });
});
