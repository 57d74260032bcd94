import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import type { SecureAccessApi } from "../../src/core/model/secure-access-types.js";
import type { CreateStep, DeleteStep, Plan, PlanStep } from "../../src/core/model/types.js";
import { createLogger } from "../../src/observability/create-logger.js";
import { applyPlan, EXPIRED_BEFORE_CREATE } from "../../src/reconcile/apply-plan.js";
import { createMemoryJournal, type Journal } from "../../src/reconcile/journal.js";
import { demoApiKey, demoApiSecret } from "../../src/emulator/default-seed.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { createFakeSecureAccess, vendorError, type FakeSecureAccess } from "../helpers/fake-secure-access.js";
import { jitRule, noLimits } from "../secure-access/emulator-fixtures.js";
import { makeTestClient } from "../secure-access/make-test-client.js";

const now = new Date("2026-11-26T18:00:02.500Z");

function createStep(grantId: string, ruleName = `grantops-${grantId}-abc123`): CreateStep {
  return {
    kind: "create",
    grantId,
    commit: "c".repeat(40),
    pr: 12,
    expiresAt: "2026-11-26T22:00:00Z",
    rule: {
      ruleName,
      ruleDescription: `grantops/v1 exp=2026-11-26T22:00Z sha=abc grant=${grantId}`,
      ruleAction: "allow",
      ruleIsEnabled: true,
      ruleConditions: [
        {
          attributeName: "umbrella.source.identity_ids",
          attributeOperator: "INTERSECT",
          attributeValue: [1],
        },
      ],
      ruleSettings: [{ settingName: "umbrella.logLevel", settingValue: "LOG_ALL" }],
    },
    users: ["alice@example.com"],
    groups: [],
    resources: ["Jira"],
    reason: "CHG-1: test reason",
    breakGlass: false,
    approval: { status: "approved", mode: "review", approvers: ["bob"], pr: 12, requester: "alice" },
  };
}

function deleteStep(
  ruleId: number,
  reason: DeleteStep["reason"],
  grantId: string | null = `g${ruleId}`,
): DeleteStep {
  return {
    kind: "delete",
    ruleId,
    ruleName: `grantops-old-${ruleId}`,
    grantId,
    reason,
    expiresAt: reason === "expired" ? "2026-11-26T18:00:00Z" : "2026-11-27T00:00:00Z",
  };
}

function planOf(steps: PlanStep[]): Plan {
  return {
    version: 1,
    organization: "acme",
    orgId: 8094936,
    at: "2026-11-26T18:00:00Z",
    commit: "d".repeat(40),
    steps,
    kept: [],
    pending: [],
    unapproved: [],
    held: [],
    suspicious: [],
    unverified: [],
    counts: { managed: 0, tampered: 0, unexplained: 0, unverified: 0, suspicious: 0, foreign: 0 },
    warnings: [],
    nextWakeAt: null,
  };
}

function setup(): { api: FakeSecureAccess; journal: ReturnType<typeof createMemoryJournal>; logs: string[] } {
  const api = createFakeSecureAccess();
  for (const ruleId of [501, 502, 503]) {
    api.rules.set(ruleId, {
      ruleId,
      ruleName: `grantops-old-${ruleId}`,
      ruleAction: "allow",
      rulePriority: ruleId - 500,
      ruleIsDefault: false,
      ruleIsEnabled: true,
      organizationId: 8094936,
      ruleConditions: [],
      ruleSettings: [],
    });
  }
  const logs: string[] = [];
  return { api, journal: createMemoryJournal(), logs };
}

function loggerInto(logs: string[]): ReturnType<typeof createLogger> {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  return createLogger({ level: "debug", destination });
}

function run(
  plan: Plan,
  ctx: Omit<ReturnType<typeof setup>, "api"> & { api: SecureAccessApi },
  overrides: { signal?: AbortSignal; journal?: Journal } = {},
) {
  return applyPlan(plan, {
    api: ctx.api,
    journal: overrides.journal ?? ctx.journal,
    clock: () => now,
    logger: loggerInto(ctx.logs),
    ...(overrides.signal === undefined ? {} : { signal: overrides.signal }),
  });
}

describe("applyPlan", () => {
  it("applies every step in order and journals each one", async () => {
    const ctx = setup();
    const plan = planOf([deleteStep(501, "expired"), createStep("team/a"), deleteStep(502, "removed")]);
    const result = await run(plan, ctx);
    expect(result).toMatchObject({ ok: 3, failed: 0, skipped: 0, journalErrors: 0 });
    expect(ctx.api.calls.map((call) => call.method)).toEqual(["deleteRule", "createRule", "deleteRule"]);
    expect([...ctx.api.rules.keys()].sort((a, b) => a - b)).toEqual([503, result.outcomes[1]!.ruleId]);
    expect(ctx.journal.entries).toEqual([
      {
        time: "2026-11-26T18:00:02Z",
        organization: "acme",
        grantId: "g501",
        version: null,
        commit: "d".repeat(40),
        ruleId: 501,
        ruleName: "grantops-old-501",
        action: "delete",
        reason: "expired",
        outcome: "ok",
        expiresAt: "2026-11-26T18:00:00Z",
        lagSeconds: 2.5,
      },
      expect.objectContaining({
        grantId: "team/a",
        version: "c".repeat(40),
        action: "create",
        reason: null,
        outcome: "ok",
        ruleId: result.outcomes[1]!.ruleId,
        lagSeconds: null,
        users: ["alice@example.com"],
        approval: "review",
        approvers: ["bob"],
        pr: 12,
        requester: "alice",
        why: "CHG-1: test reason",
      }),
      expect.objectContaining({ action: "delete", reason: "removed", outcome: "ok", lagSeconds: null }),
    ]);
    expect(ctx.logs).toHaveLength(3);
  });

  it("skips the replaced delete of a grant whose create failed, but runs the other steps", async () => {
    const ctx = setup();
    ctx.api.fail("createRule", vendorError(500, "Internal Server Error"), {
      match: ([input]) => (input as { ruleName: string }).ruleName.includes("team-a"),
    });
    const plan = planOf([
      createStep("team/a", "grantops-team-a-111111"),
      createStep("team/b", "grantops-team-b-222222"),
      deleteStep(501, "replaced", "team/a"),
      deleteStep(502, "replaced", "team/b"),
      deleteStep(503, "expired", "team/c"),
    ]);
    const result = await run(plan, ctx);
    expect(result.outcomes.map((o) => o.outcome)).toEqual(["failed", "ok", "skipped", "ok", "ok"]);
    expect(result).toMatchObject({ ok: 3, failed: 1, skipped: 1 });
    expect(result.outcomes[0]!.error).toEqual({ code: "VENDOR_HTTP_500", message: "Internal Server Error" });
    expect(ctx.api.rules.has(501)).toBe(true);
    expect(ctx.journal.entries.map((e) => [e.action, e.grantId, e.outcome])).toEqual([
      ["create", "team/a", "failed"],
      ["create", "team/b", "ok"],
      ["delete", "team/a", "skipped"],
      ["delete", "team/b", "ok"],
      ["delete", "team/c", "ok"],
    ]);
    expect(ctx.journal.entries[0]).toMatchObject({ ruleId: null, error: { code: "VENDOR_HTTP_500" } });
  });

  it("a failed delete does not stop later steps", async () => {
    const ctx = setup();
    ctx.api.fail("deleteRule", vendorError(null, "connect ECONNREFUSED"));
    const result = await run(planOf([deleteStep(501, "expired"), deleteStep(502, "expired")]), ctx);
    expect(result.outcomes.map((o) => o.outcome)).toEqual(["failed", "ok"]);
    expect(ctx.journal.entries[0]).toMatchObject({ outcome: "failed", lagSeconds: null });
    expect(ctx.journal.entries[1]).toMatchObject({ outcome: "ok", lagSeconds: 2.5 });
  });

  it("on abort finishes the current step and skips the rest", async () => {
    const ctx = setup();
    const controller = new AbortController();
    ctx.api.onCall = (call) => {
      if (call.method === "createRule") controller.abort();
    };
    const plan = planOf([deleteStep(501, "expired"), createStep("team/a"), deleteStep(502, "removed")]);
    const result = await run(plan, ctx, { signal: controller.signal });
    expect(result.outcomes.map((o) => o.outcome)).toEqual(["ok", "ok", "skipped"]);
    expect(ctx.api.rules.has(502)).toBe(true);
    expect(ctx.journal.entries.map((e) => e.outcome)).toEqual(["ok", "ok", "skipped"]);
  });

  it("keeps applying when the journal cannot be written, and counts it", async () => {
    const ctx = setup();
    const broken: Journal = { record: () => Promise.reject(new Error("disk full")) };
    const result = await run(planOf([deleteStep(501, "expired")]), ctx, { journal: broken });
    expect(result).toMatchObject({ ok: 1, journalErrors: 1 });
    expect(ctx.api.rules.has(501)).toBe(false);
    expect(ctx.logs.some((line) => line.includes("could not write the journal entry"))).toBe(true);
  });
});

describe("applyPlan: grants that expire during the run", () => {
  it("skips a create whose grant expired before its turn, and still deletes the old version", async () => {
    const ctx = setup();
    const late = { ...createStep("team/a"), expiresAt: "2026-11-26T18:00:00Z" };
    const plan = planOf([late, deleteStep(501, "replaced", "team/a")]);
    const result = await run(plan, ctx);
    expect(result.outcomes.map((o) => [o.outcome, o.error?.code])).toEqual([
      ["skipped", EXPIRED_BEFORE_CREATE],
      ["ok", undefined],
    ]);
    expect(ctx.api.calls.map((c) => c.method)).toEqual(["deleteRule"]);
    expect(ctx.api.rules.has(501)).toBe(false);
  });

  it("deletes at once a rule whose create completed only after the grant's expiry", async () => {
    const ctx = setup();
    let clock = new Date("2026-11-26T21:59:59Z");
    ctx.api.onCall = (call) => {
      if (call.method === "createRule") clock = new Date("2026-11-26T22:00:01Z"); // retries took a while
    };
    const result = await applyPlan(planOf([createStep("team/a")]), {
      api: ctx.api,
      journal: ctx.journal,
      clock: () => clock,
      logger: loggerInto(ctx.logs),
    });
    const created = result.outcomes[0]!.ruleId!;
    expect(result.outcomes.map((o) => [o.step.kind, o.outcome])).toEqual([
      ["create", "ok"],
      ["delete", "ok"],
    ]);
    expect(result.outcomes[1]!.step).toMatchObject({ kind: "delete", ruleId: created, reason: "expired" });
    expect(ctx.api.rules.has(created)).toBe(false);
    expect(ctx.journal.entries.map((e) => [e.action, e.reason, e.lagSeconds])).toEqual([
      ["create", null, null],
      ["delete", "expired", 1],
    ]);
  });
});

describe("applyPlan: a create whose rule name is taken (against the emulator)", () => {
  let emu: RunningEmulator | undefined;
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  async function emulated() {
    emu = await startEmulator({ limits: noLimits });
    const { client } = makeTestClient(emu.url, { apiKey: demoApiKey, apiSecret: demoApiSecret });
    const old = await client.createRule(jitRule("grantops-old-version"));
    return { e: emu, client, old, ctx: { ...setup(), api: client } };
  }

  const createOf = (name: string): CreateStep => ({ ...createStep("team/a"), rule: jitRule(name) });
  const replacedOf = (ruleId: number): DeleteStep => ({
    ...deleteStep(ruleId, "replaced", "team/a"),
    ruleName: "grantops-old-version",
  });

  it("is ok with the existing rule's id when that rule is the one asked for (made before the run)", async () => {
    const { e, client, old, ctx } = await emulated();
    const made = await client.createRule(jitRule("grantops-new-version"));
    const result = await run(planOf([createOf("grantops-new-version"), replacedOf(old.ruleId)]), ctx);
    expect(result.outcomes.map((o) => [o.outcome, o.ruleId])).toEqual([
      ["ok", made.ruleId],
      ["ok", old.ruleId],
    ]);
    // Another writer made it: this run adopted it, so the journal holds one successful create of the rule.
    expect(ctx.journal.entries[0]).toMatchObject({
      action: "create",
      outcome: "adopted",
      ruleId: made.ruleId,
    });
    expect(e.state.rules.filter((rule) => rule.ruleName === "grantops-new-version")).toHaveLength(1);
  });

  it("fails with RULE_NAME_TAKEN when another rule holds the name, and keeps the version it replaces", async () => {
    const { e, client, old, ctx } = await emulated();
    const lookAlike = jitRule("grantops-new-version");
    await client.createRule({ ...lookAlike, ruleDescription: "made in the dashboard" });
    const result = await run(planOf([createOf("grantops-new-version"), replacedOf(old.ruleId)]), ctx);
    expect(result.outcomes.map((o) => [o.outcome, o.error?.code])).toEqual([
      ["failed", "RULE_NAME_TAKEN"],
      ["skipped", undefined],
    ]);
    expect(ctx.journal.entries[0]).toMatchObject({ outcome: "failed", ruleId: null });
    expect(e.state.rules.some((rule) => rule.ruleId === old.ruleId)).toBe(true);
  });
  it("deletes a kept rule at its expiry while a slow create is still under way, not after the run", async () => {
    const ctx = setup();
    const expiresAtMs = Math.ceil((Date.now() + 300) / 1000) * 1000;
    const expiresAt = new Date(expiresAtMs).toISOString().replace(".000Z", "Z");
    const order: string[] = [];
    // A create that waits (as a paced create waits for room in the vendor's windows) until well past the expiry.
    const api: SecureAccessApi = {
      ...ctx.api,
      createRule: async (input) => {
        await new Promise((resolve) => setTimeout(resolve, expiresAtMs - Date.now() + 1500));
        order.push("create done");
        return ctx.api.createRule(input);
      },
      deleteRule: async (ruleId, options) => {
        order.push(`delete ${ruleId} at +${Date.now() - expiresAtMs} ms, expiry ${options?.expiresAtMs}`);
        return ctx.api.deleteRule(ruleId, options);
      },
    };
    const plan = {
      ...planOf([{ ...createStep("team/a"), expiresAt: "2099-01-01T00:00:00Z" }]),
      kept: [{ ruleId: 502, ruleName: "grantops-old-502", grantId: "g502", expiresAt }],
    };
    const result = await applyPlan(plan, {
      api,
      journal: ctx.journal,
      clock: () => new Date(),
      logger: loggerInto(ctx.logs),
    });
    expect(result).toMatchObject({ ok: 2, failed: 0 });
    expect(order).toHaveLength(2);
    expect(order[0]).toMatch(new RegExp(`^delete 502 at \\+\\d+ ms, expiry ${expiresAtMs}$`));
    expect(Number(/\+(\d+) ms/.exec(order[0]!)?.[1])).toBeLessThan(1000);
    expect(order[1]).toBe("create done");
    expect(ctx.api.rules.has(502)).toBe(false);
    const deleted = ctx.journal.entries.find((entry) => entry.ruleId === 502);
    expect(deleted).toMatchObject({ action: "delete", reason: "expired", outcome: "ok" });
    expect(deleted?.lagSeconds).toBeGreaterThanOrEqual(0);
    expect(deleted?.lagSeconds).toBeLessThan(1);
  });
});
