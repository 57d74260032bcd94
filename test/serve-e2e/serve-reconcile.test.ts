// grantops serve end to end: the real command (in-process), the emulator, a bare file:// remote, signed webhooks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseMarker } from "../../src/core/rule/rule-marker.js";
import { readJournal } from "../../src/reconcile/journal.js";
import { join } from "node:path";
import {
  createServeWorld,
  deliver,
  grantYaml,
  pushPayload,
  EVENT_BOUND_MS,
  SHORT_GRANT_SECONDS,
  SLOW_TEST_MS,
  startServeCli,
  waitFor,
  type RunningServe,
  type ServeWorld,
} from "./serve-world.js";

let world: ServeWorld;
let serve: RunningServe;
const figures: Record<string, number> = {};

beforeAll(async () => {
  // Rule writes hold the ruleset lock for 30 ms: overlapping writes would get 409.
  world = await createServeWorld({ emulator: { writeDelayMs: 30 } });
  serve = await startServeCli(world, ["--trust-git", "--interval", "1h"]);
}, SLOW_TEST_MS);

afterAll(async () => {
  await world?.close();
});

const conflicts = () =>
  Object.entries(world.emulator.counters())
    .filter(([key]) => / 409$/.test(key))
    .reduce((n, [, count]) => n + count, 0);

describe("grantops serve against the emulator and a bare remote", () => {
  it("prints one listening line and is ready after the startup run", { timeout: SLOW_TEST_MS }, async () => {
    expect(serve.stdout()).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    await waitFor(
      async () => (await fetch(`${serve.url}/readyz`)).status === 200,
      EVENT_BOUND_MS,
      "readyz 200",
    );
    const body = (await (await fetch(`${serve.url}/readyz`)).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: "ready", lastOutcome: "success", vendorReachable: true });
  });

  it("creates the rule of a pushed grant after the push webhook", { timeout: SLOW_TEST_MS }, async () => {
    // dave's grant stays throughout: deleting the only grant would be refused by the empty-desired guard.
    const sha = await world.push({
      "grants/e2e/alice-jira.yaml": grantYaml(["alice@example.com"], ["Jira"], "1h"),
      "grants/e2e/dave-grafana.yaml": grantYaml(["dave@example.com"], ["Grafana"], "1h"),
    });
    const sent = Date.now();
    expect(await deliver(serve.url, "push", pushPayload(sha))).toBe(202);
    const seen = await waitFor(() => world.managed().has("e2e/alice-jira"), EVENT_BOUND_MS, "rule created");
    figures["pushToRuleMs"] = seen - sent;
    const rule = world.managed().get("e2e/alice-jira");
    expect(rule?.ruleName).toMatch(/^grantops-e2e-alice-jira-[0-9a-f]{6}$/);
  });

  it("deletes the rule when the grant file is deleted", { timeout: SLOW_TEST_MS }, async () => {
    const sha = await world.push({ "grants/e2e/alice-jira.yaml": null }, "revoke alice");
    expect(await deliver(serve.url, "push", pushPayload(sha))).toBe(202);
    await waitFor(() => !world.managed().has("e2e/alice-jira"), EVENT_BOUND_MS, "rule deleted");
  });

  it(
    "deletes a short grant's rule at its expiry, with no webhook (the precise timer)",
    { timeout: SLOW_TEST_MS },
    async () => {
      const sha = await world.push({
        "grants/e2e/erin-wiki.yaml": grantYaml(["erin@example.com"], ["Wiki"], `${SHORT_GRANT_SECONDS}s`),
      });
      expect(await deliver(serve.url, "push", pushPayload(sha))).toBe(202);
      await waitFor(() => world.managed().has("e2e/erin-wiki"), EVENT_BOUND_MS, "short rule created");
      const expiresAt = Date.parse(
        parseMarker(world.managed().get("e2e/erin-wiki")?.ruleDescription)?.exp ?? "",
      );
      const gone = await waitFor(
        () => !world.managed().has("e2e/erin-wiki"),
        EVENT_BOUND_MS,
        "short rule expired",
      );
      figures["expiryLagMs"] = gone - expiresAt;
      expect(gone).toBeGreaterThanOrEqual(expiresAt);
      // The journal line is written once the vendor has answered the delete: wait for it too.
      const journalPath = join(world.home, ".grantops", "journal.jsonl");
      const deleteEntry = async () =>
        (await readJournal(journalPath)).find((e) => e.grantId === "e2e/erin-wiki" && e.action === "delete");
      await waitFor(async () => (await deleteEntry()) !== undefined, EVENT_BOUND_MS, "expiry journaled");
      const expired = await deleteEntry();
      expect(expired).toMatchObject({ outcome: "ok", action: "delete", reason: "expired" });
      expect(expired?.lagSeconds).toBeGreaterThanOrEqual(0);
    },
  );

  it(
    "never overlaps runs: two quick pushes converge with no 409 from the ruleset lock",
    { timeout: SLOW_TEST_MS },
    async () => {
      const before = conflicts();
      const first = await world.push({
        "grants/e2e/bob-wiki.yaml": grantYaml(["bob@example.com"], ["Wiki"], "1h"),
      });
      const pushing = deliver(serve.url, "push", pushPayload(first));
      const second = await world.push({
        "grants/e2e/carol-jira.yaml": grantYaml(["carol@example.com"], ["Jira"], "1h"),
      });
      expect(await pushing).toBe(202);
      expect(await deliver(serve.url, "push", pushPayload(second))).toBe(202);
      await waitFor(
        () => world.managed().has("e2e/bob-wiki") && world.managed().has("e2e/carol-jira"),
        EVENT_BOUND_MS,
        "both rules created",
      );
      expect(conflicts()).toBe(before);
      const journal = await readJournal(join(world.home, ".grantops", "journal.jsonl"));
      const creates = journal.filter((e) => e.action === "create" && e.grantId === "e2e/bob-wiki");
      expect(creates).toHaveLength(1);
    },
  );

  it(
    "exposes runs, steps, vendor requests and the expiry lag on /metrics",
    { timeout: SLOW_TEST_MS },
    async () => {
      // The last run records its metrics once it is done (after its rules appear and its state file is written).
      const metrics = async (): Promise<string> => (await fetch(`${serve.url}/metrics`)).text();
      await waitFor(
        async () => /grantops_managed_rules 3\n/.test(await metrics()),
        EVENT_BOUND_MS,
        "last run recorded",
      );
      const text = await metrics();
      expect(text).toMatch(/grantops_reconcile_runs_total\{outcome="success"\} [1-9]/);
      expect(text).toMatch(/grantops_expiry_lag_seconds_count [1-9]/);
      expect(text).toMatch(/grantops_plan_steps_total\{kind="create",outcome="ok"\} [1-9]/);
      expect(text).toMatch(/grantops_plan_steps_total\{kind="delete",outcome="ok"\} [1-9]/);
      expect(text).toMatch(
        /grantops_vendor_requests_total\{route="\/policies\/v2\/rules",status="200"\} [1-9]/,
      );
      expect(text).toMatch(/grantops_managed_rules 3\n/);
      expect(text).toMatch(/grantops_grants_unverified 0\n/);
      expect(text).toMatch(/grantops_webhook_deliveries_total\{event="push",outcome="accepted"\} [1-9]/);
    },
  );

  it("stops cleanly on abort (exit 0) and prints nothing more", async () => {
    expect(await serve.stop()).toBe(0);
    expect(serve.stdout().trim().split("\n")).toHaveLength(1);
    console.info(`serve e2e figures: ${JSON.stringify(figures)}`);
  });
});
