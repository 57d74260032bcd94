// Property: on random histories of grant files (added, changed, broken, removed; users that do not resolve; grant
// ids that share a rule-name stem), the plan a push produces from the last applied commit equals the full plan of
// the same commit, restricted to the grants the push changed; and since the world had converged, the full plan has
// no step for any other grant. Real temporary git repositories and the emulator on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { demoApiKey, demoApiSecret } from "../../src/emulator/default-seed.js";
import { createSecureAccessClient } from "../../src/secure-access/create-secure-access-client.js";
import { createLogger } from "../../src/observability/create-logger.js";
import { createJournal } from "../../src/reconcile/journal.js";
import { createOwnershipTracker } from "../../src/reconcile/ownership-tracker.js";
import { reconcile, type ReconcileDeps } from "../../src/reconcile/reconcile.js";
import { reconcilePush } from "../../src/reconcile/reconcile-push.js";
import { planRun, type PlanRunOptions } from "../../src/reconcile/plan-run.js";
import { pushBaseOf } from "../../src/reconcile/push-base-of.js";
import { TrustGitVerifier } from "../../src/git/trust-git-verifier.js";
import type { PlanStep } from "../../src/core/model/types.js";
import { createGitFixture } from "../helpers/git-fixture.js";

const IDS = ["a/one", "a-one", "b", "b-c", "team/d"];
const USERS = ["alice@example.com", "carol@example.com", "dave@example.com", "mallory@example.com"];
const RESOURCES = ["Jira", "Wiki", "Grafana"];
const BROKEN = "version: 1\nusers: [\n";

const policyPath = fileURLToPath(new URL("../../policy.yaml", import.meta.url));
let emulator: RunningEmulator;
let policy: string;

beforeAll(async () => {
  emulator = await startEmulator({
    limits: { tokenPerMinute: false, policiesPerMinute: false, policiesPerHour: false },
  });
  policy = await readFile(policyPath, "utf8");
});

afterAll(async () => {
  await emulator?.close();
});

/** A grant file's text: a valid grant (users that may not resolve: mallory is deleted) or a broken file. */
const grantText = fc.oneof(
  { weight: 5, arbitrary: validGrant() },
  { weight: 1, arbitrary: fc.constant(BROKEN) },
);

function validGrant(): fc.Arbitrary<string> {
  return fc
    .record({
      users: fc.uniqueArray(fc.constantFrom(...USERS), { minLength: 1, maxLength: 2 }),
      resources: fc.uniqueArray(fc.constantFrom(...RESOURCES), { minLength: 1, maxLength: 2 }),
      hours: fc.integer({ min: 1, max: 4 }),
    })
    .map(({ users, resources, hours }) =>
      [
        "version: 1",
        `users: [${users.join(", ")}]`,
        `resources: [${resources.join(", ")}]`,
        'reason: "PROP-1: property test of push plans"',
        `duration: ${hours}h`,
        "",
      ].join("\n"),
    );
}

/** Files of one commit: grant id → new text, or null to remove the file. */
const change = fc.dictionary(fc.constantFrom(...IDS), fc.option(grantText, { nil: null }), {
  minKeys: 1,
  maxKeys: 3,
});

const history: fc.Arbitrary<History> = fc.record({
  initial: fc.dictionary(fc.constantFrom(...IDS), validGrant(), { minKeys: 1, maxKeys: IDS.length }),
  pushes: fc.array(change, { minLength: 1, maxLength: 2 }),
});

const key = (step: PlanStep): string =>
  step.kind === "create"
    ? `create ${step.grantId} ${step.rule.ruleName} ${step.expiresAt}`
    : `delete ${step.grantId} ${step.ruleName} ${step.reason}`;

interface History {
  initial: Record<string, string>;
  pushes: Array<Record<string, string | null>>;
}

async function checkHistory(run: History): Promise<void> {
  emulator.reset();
  const repo = await createGitFixture();
  try {
    const home = await repo.tempDir();
    const journalPath = join(home, "journal.jsonl");
    const logger = createLogger({ level: "silent" });
    const clock = () => new Date();
    const api = createSecureAccessClient({
      baseUrl: emulator.url,
      apiKey: demoApiKey,
      apiSecret: demoApiSecret,
    });
    const ownership = await createOwnershipTracker({
      statePath: join(home, "verified-rules.json"),
      journalPath,
      clock,
      logger,
    });
    const deps: ReconcileDeps = {
      clock,
      logger,
      journal: createJournal(journalPath),
      verifier: new TrustGitVerifier(),
      apiFor: () => api,
      ownership,
    };
    const options: PlanRunOptions = {
      repo: repo.dir,
      cacheDir: join(home, "cache"),
      policyPath: "policy.yaml",
      rulePrefix: "grantops-",
      // The guards are not under test here: a push that would be refused falls back to a full run by design.
      limits: { maxDeletes: 25, allowMassDelete: true, allowEmpty: true },
    };
    await repo.write("policy.yaml", policy);
    for (const [id, text] of Object.entries(run.initial)) await repo.write(`grants/${id}.yaml`, text);
    await repo.commit("initial grants", new Date().toISOString());
    let base = pushBaseOf(await reconcile(options, deps));
    expect(base).not.toBeNull();
    for (const files of run.pushes) {
      for (const [id, text] of Object.entries(files)) {
        if (text === null) await repo.remove(`grants/${id}.yaml`);
        else await repo.write(`grants/${id}.yaml`, text);
      }
      await repo.commit("change grants", new Date().toISOString());
      const full = await planRun(options, deps);
      const pushed = await reconcilePush(options, deps, base);
      if (pushed.kind !== "partial")
        throw new Error(`push planned in full: ${pushed.reason} (${pushed.detail})`);
      const changed = new Set(pushed.grantIds);
      const fullSteps = full.organizations.flatMap((org) => org.plan.steps);
      const partialSteps = pushed.partials.flatMap((plan) => plan.steps);
      const restricted = fullSteps.filter((step) => step.grantId !== null && changed.has(step.grantId));
      expect(partialSteps.map(key)).toEqual(restricted.map(key));
      // The world had converged: nothing outside the changed grants needs a step.
      expect(fullSteps.map(key)).toEqual(restricted.map(key));
      base = pushBaseOf(pushed.record);
      expect(base).not.toBeNull();
    }
  } finally {
    await repo.cleanup();
  }
}

describe("a push's plan", () => {
  it("equals the full plan restricted to the grants it changed, on random histories", async () => {
    await fc.assert(fc.asyncProperty(history, checkHistory), { numRuns: 5, endOnFailure: true });
  }, 120_000);
});
