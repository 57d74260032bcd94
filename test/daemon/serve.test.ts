import { afterEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { Registry } from "prom-client";
import { createMetrics } from "../../src/observability/create-metrics.js";
import { readServeConfig } from "../../src/daemon/read-serve-config.js";
import { startServe, type ServeReconcileResult, type ServeHandle } from "../../src/daemon/serve.js";
import { TEST_SECRET, deliver, example } from "./webhook-examples.js";

const logger = pino({ level: "silent" });
const config = readServeConfig(
  { repo: ".", port: 0, interval: "1h" },
  { GRANTOPS_WEBHOOK_SECRET: TEST_SECRET, GITHUB_REPOSITORY: "Codertocat/Hello-World" },
  () => "",
);
let handle: ServeHandle | undefined;

afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await pause(5);
  }
}

/** Polls /readyz until the server has recorded a run with the outcome; returns the final response. */
async function readyzAfter(url: string, outcome: string): Promise<{ status: number; body: unknown }> {
  for (let i = 0; ; i += 1) {
    const response = await fetch(`${url}/readyz`);
    const body = (await response.json()) as { lastOutcome?: string };
    if (body.lastOutcome === outcome || i > 300) return { status: response.status, body };
    await pause(10);
  }
}

/** A fake reconciler: records reasons and overlap; each run waits until released (or returns at once). */
function fakeReconciler(
  result: (call: number) => ServeReconcileResult | Error = () => ({ ok: true, nextWakeAt: null }),
) {
  const calls: string[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let gate: Promise<void> | null = null;
  let open: () => void = () => undefined;
  return {
    calls,
    maxInFlight: () => maxInFlight,
    hold() {
      gate = new Promise((resolve) => (open = resolve));
    },
    release() {
      gate = null;
      open();
    },
    reconcile: async (reasons: string[]): Promise<ServeReconcileResult> => {
      calls.push(reasons);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await pause(1);
        if (gate) await gate;
        const outcome = result(calls.length);
        if (outcome instanceof Error) throw outcome;
        return outcome;
      } finally {
        inFlight -= 1;
      }
    },
  };
}

async function serve(
  reconcile: (reasons: string[]) => Promise<ServeReconcileResult>,
  planPullRequest: (n: number, sha: string) => Promise<void> = () => Promise.resolve(),
) {
  const registry = new Registry();
  handle = await startServe(config, {
    reconcile,
    planPullRequest,
    logger,
    metrics: createMetrics(registry),
    registry,
    clock: () => new Date(),
  });
  return { url: handle.url, registry };
}

const push = () => example("push", (p) => p["ref"] === "refs/heads/master");

describe("startServe", () => {
  it("reconciles once at startup", async () => {
    const fake = fakeReconciler();
    await serve(fake.reconcile);
    await until(() => fake.calls.length === 1);
    expect(fake.calls).toEqual([["startup"]]);
  });

  it("coalesces two quick pushes during a run into one more run, never overlapping", async () => {
    const fake = fakeReconciler();
    fake.hold();
    const { url } = await serve(fake.reconcile);
    await until(() => fake.calls.length === 1);
    const first = { ...push(), after: "a".repeat(40) };
    const second = { ...push(), after: "b".repeat(40) };
    expect((await deliver(url, "push", first)).status).toBe(202);
    expect((await deliver(url, "push", second)).status).toBe(202);
    await pause(30);
    fake.release();
    await until(() => fake.calls.length === 2);
    await pause(30);
    expect(fake.calls).toEqual([["startup"], ["push master@aaaaaaaaaaaa", "push master@bbbbbbbbbbbb"]]);
    expect(fake.maxInFlight()).toBe(1);
  });

  it("ignores pushes to other branches", async () => {
    const fake = fakeReconciler();
    const { url } = await serve(fake.reconcile);
    await until(() => fake.calls.length === 1);
    expect((await deliver(url, "push", { ...push(), ref: "refs/heads/feature" })).status).toBe(202);
    await pause(50);
    expect(fake.calls).toHaveLength(1);
  });

  it("runs again at the nextWakeAt the reconcile returned", async () => {
    const fake = fakeReconciler((call) => ({
      ok: true,
      nextWakeAt: call === 1 ? new Date(Date.now() + 200).toISOString() : null,
    }));
    await serve(fake.reconcile);
    await until(() => fake.calls.length === 2);
    expect(fake.calls).toEqual([["startup"], ["timer"]]);
  });

  it("plans pull requests serially, collapsing events of a waiting PR", async () => {
    const planned: Array<[number, string]> = [];
    let inFlight = 0;
    let maxInFlight = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const plan = async (n: number, sha: string): Promise<void> => {
      planned.push([n, sha]);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await gate; // the first plan waits until every event is in
      await pause(5);
      inFlight -= 1;
    };
    const fake = fakeReconciler();
    const { url } = await serve(fake.reconcile, plan);
    const pr = (action: string, number: number, sha: string) => {
      const payload = example("pull_request", (p) => p["action"] === action);
      const pull = payload["pull_request"] as { number: number; head: { sha: string } };
      pull.number = number;
      pull.head.sha = sha;
      return payload;
    };
    await deliver(url, "pull_request", pr("opened", 7, "1".repeat(40)));
    await until(() => planned.length === 1);
    await deliver(url, "pull_request", pr("synchronize", 8, "2".repeat(40)));
    await deliver(url, "pull_request", pr("synchronize", 8, "3".repeat(40)));
    await deliver(
      url,
      "pull_request_review",
      example("pull_request_review", (p) => p["action"] === "submitted"),
    );
    await pause(50);
    release();
    await until(() => planned.length === 3);
    await pause(50);
    expect(planned).toEqual([
      [7, "1".repeat(40)],
      [8, "3".repeat(40)],
      [2, "ec26c3e57ca3a959ca5aad62de7213c562f8c821"],
    ]);
    expect(maxInFlight).toBe(1);
    expect(fake.calls).toHaveLength(1); // PR events never reconcile
  });

  it("is ready only after a successful reconcile with the vendor reachable", async () => {
    let fail = true;
    const fake = fakeReconciler(() => (fail ? new Error("vendor down") : { ok: true, nextWakeAt: null }));
    const { url, registry } = await serve(fake.reconcile);
    await until(() => fake.calls.length === 1);
    const notReady = await readyzAfter(url, "error");
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({ lastOutcome: "error", vendorReachable: false });
    fail = false;
    await deliver(url, "push", push());
    await until(() => fake.calls.length === 2);
    const ready = await readyzAfter(url, "success");
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: "ready", lastOutcome: "success" });
    const text = await registry.metrics();
    expect(text).toContain('grantops_reconcile_runs_total{outcome="error"} 1');
    expect(text).toContain('grantops_reconcile_runs_total{outcome="success"} 1');
    expect(text).toMatch(/grantops_last_success_timestamp_seconds \d+/);
  });

  it("is not ready when the last run finished with failed steps", async () => {
    const fake = fakeReconciler(() => ({ ok: false, nextWakeAt: null }));
    const { url } = await serve(fake.reconcile);
    await until(() => fake.calls.length === 1);
    const response = await readyzAfter(url, "failed_steps");
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ lastOutcome: "failed_steps" });
  });

  it("close() finishes the current run, then stops serving", async () => {
    const fake = fakeReconciler();
    fake.hold();
    const { url } = await serve(fake.reconcile);
    await until(() => fake.calls.length === 1);
    let closed = false;
    const closing = handle!.close().then(() => (closed = true));
    handle = undefined;
    await pause(30);
    expect(closed).toBe(false);
    fake.release();
    await closing;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    expect(fake.calls).toHaveLength(1);
  });
});
