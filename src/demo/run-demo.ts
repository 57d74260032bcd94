import { setTimeout as sleep } from "node:timers/promises";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "../emulator/start-emulator.js";
import { demoApiKey, demoApiSecret } from "../emulator/default-seed.js";
import { createSecureAccessClient } from "../secure-access/create-secure-access-client.js";
import { reconcile } from "../reconcile/reconcile.js";
import { planRun } from "../reconcile/plan-run.js";
import type { RunRecord } from "../reconcile/run-record.js";
import { createJournal, readJournal } from "../reconcile/journal.js";
import { createOwnershipTracker } from "../reconcile/ownership-tracker.js";
import { statePathFor } from "../reconcile/verification-cache.js";
import { TrustGitVerifier } from "../git/trust-git-verifier.js";
import { createLogger } from "../observability/create-logger.js";
import { formatPlans } from "../core/report/format-plan.js";
import { parseInstant } from "../core/time/instant.js";
import { ExitCode } from "../core/model/exit-codes.js";
import { createDemoRepository, type DemoRepository } from "./demo-repository.js";
import type { SecureAccessApi } from "../core/model/secure-access-types.js";
import type { ReconcileDeps, ReconcileOptions } from "../reconcile/reconcile.js";
import type { JournalEntry } from "../core/model/journal-entry.js";

const ERIN_GRANT = "demo/erin-wiki";

export interface DemoOptions {
  /** Lifetime of the short grant that expires during the demo. */
  shortDurationSeconds: number;
  out: (text: string) => void;
  clock: () => Date;
  signal: AbortSignal;
}

interface DemoWorld {
  emulator: RunningEmulator;
  repo: DemoRepository;
  api: SecureAccessApi;
  options: ReconcileOptions;
  deps: ReconcileDeps;
  say: (text: string) => void;
}

/**
 * The end-to-end story against the emulator and a temporary grants repository: plan, apply, idempotence,
 * revoke by deleting a file, a tampered rule restored, a short grant expiring on time, foreign rules untouched.
 */
export async function runDemo(options: DemoOptions): Promise<number> {
  const started = options.clock().getTime();
  const emulator = await startEmulator({ limits: { tokenPerMinute: false } });
  const repo = await createDemoRepository();
  try {
    const world = await buildWorld(emulator, repo, options);
    await introduce(world, options.shortDurationSeconds);
    await firstApply(world);
    await revoke(world);
    await tamper(world);
    await expire(world, options);
    await untouched(world);
    const entries = await readJournal(join(repo.dir, ".grantops", "journal.jsonl"));
    world.say(
      `\nJournal: ${entries.length} entries (one JSON line per step) — the audit trail beside git history.`,
    );
    world.say(`Demo finished in ${((options.clock().getTime() - started) / 1000).toFixed(1)} s.`);
    return ExitCode.ok;
  } finally {
    await emulator.close();
    await repo.cleanup();
  }
}

async function buildWorld(
  emulator: RunningEmulator,
  repo: DemoRepository,
  options: DemoOptions,
): Promise<DemoWorld> {
  const api = createSecureAccessClient({
    baseUrl: emulator.url,
    apiKey: demoApiKey,
    apiSecret: demoApiSecret,
    signal: options.signal,
  });
  const logger = createLogger({ level: "silent" });
  const journalPath = join(repo.dir, ".grantops", "journal.jsonl");
  const ownership = await createOwnershipTracker({
    statePath: statePathFor(journalPath),
    journalPath,
    clock: options.clock,
    logger,
  });
  return {
    emulator,
    repo,
    api,
    say: (text) => options.out(`${text}\n`),
    options: {
      repo: repo.dir,
      cacheDir: join(repo.dir, ".grantops", "repos"),
      policyPath: "policy.yaml",
      rulePrefix: "grantops-",
      limits: { maxDeletes: 25, allowMassDelete: false, allowEmpty: false },
    },
    deps: {
      clock: options.clock,
      logger,
      journal: createJournal(journalPath),
      ownership,
      verifier: new TrustGitVerifier(),
      apiFor: () => api,
      signal: options.signal,
    },
  };
}

async function introduce(world: DemoWorld, shortSeconds: number): Promise<void> {
  const { say, repo, emulator } = world;
  say("grantops demo: just-in-time access to private resources, granted by files in git.\n");
  say(
    `1. Cisco Secure Access emulator listening on ${emulator.url} (organization ${emulator.state.organizationId}).`,
  );
  say(
    `   It already holds ${emulator.state.rules.length} rules nobody gave grantops: they must stay untouched.`,
  );
  await repo.write(
    `grants/${ERIN_GRANT}.yaml`,
    [
      "version: 1",
      "users: [erin@example.com]",
      "resources: [Wiki]",
      'reason: "DEMO-1: a short grant that expires during the demo"',
      `duration: ${shortSeconds}s`,
      "",
    ].join("\n"),
  );
  const commit = await repo.commit("Grant requests: example grants plus a short one (merged = approved)");
  say(`2. A grants repository at ${repo.dir}, commit ${commit.slice(0, 8)} on main:`);
  say(
    "   policy.yaml and four grant files (alice → Jira 4h, bob → prod-db 1h, carol+dave → Grafana+Wiki 8h,",
  );
  say(
    `   erin → Wiki ${shortSeconds}s). Approvals come from git history here (--trust-git); on GitHub, from PR reviews.`,
  );
}

async function firstApply(world: DemoWorld): Promise<void> {
  const { say } = world;
  const planned = await planRun(world.options, world.deps);
  say("\n3. grantops plan — what would change (nothing is written):\n");
  say(
    indent(
      formatPlans(
        planned.organizations.map((org) => org.plan),
        "text",
      ),
    ),
  );
  const applied = await applyAndReport(world, "4. grantops apply");
  if (applied.exitCode !== ExitCode.ok) throw new Error(`apply exited ${applied.exitCode}`);
  await showRules(world, "5. The Access Policy now (grantops rules carry their expiry in the description):");
  const again = await planRun(world.options, world.deps);
  const steps = again.organizations.reduce((n, org) => n + org.plan.steps.length, 0);
  say(
    `\n6. Plan again: ${steps} steps — in sync. Re-running is always safe; the world is re-read every time.`,
  );
}

async function revoke(world: DemoWorld): Promise<void> {
  await world.repo.remove("grants/payments/alice-jira.yaml");
  const commit = await world.repo.commit("Revoke alice's Jira access");
  world.say(`\n7. Revoke: grants/payments/alice-jira.yaml deleted in commit ${commit.slice(0, 8)}.`);
  await applyAndReport(world, "   grantops apply");
}

async function tamper(world: DemoWorld): Promise<void> {
  const rule = world.emulator.state.rules.find((candidate) =>
    candidate.ruleName.startsWith("grantops-sre-bob"),
  );
  if (!rule) throw new Error("the demo expected bob's rule");
  rule.ruleIsEnabled = false;
  rule.modifiedAt = world.deps.clock().toISOString();
  world.say(
    `\n8. Tamper: someone disables rule ${rule.ruleName} in the dashboard. grantops restores it from git:`,
  );
  await applyAndReport(world, "   grantops apply");
}

async function expire(world: DemoWorld, options: DemoOptions): Promise<void> {
  // On a slow machine the short grant can end while the steps above run; then one of those runs deleted its rule.
  const early = await erinExpiry(world);
  if (early !== undefined) {
    world.say(
      `\n9. Expiry: erin's grant ended while the steps above ran; that run deleted its rule ${lagText(early)}.`,
    );
    return;
  }
  const planned = await planRun(world.options, world.deps);
  const due = planned.organizations.some((org) =>
    org.plan.steps.some((step) => step.kind === "delete" && step.reason === "expired"),
  );
  const wake = due ? options.clock().getTime() : parseInstant(planned.nextWakeAt ?? "");
  if (wake === null) throw new Error("the demo expected a next wake-up time");
  const waitMs = Math.max(0, wake - options.clock().getTime());
  world.say(
    `\n9. Expiry: erin's grant ends at ${planned.nextWakeAt}; the next run is timed for it (${(waitMs / 1000).toFixed(1)} s)...`,
  );
  await sleep(waitMs + 50, undefined, { signal: options.signal });
  await applyAndReport(world, "   grantops apply");
  const entry = await erinExpiry(world);
  if (entry === undefined)
    throw new Error("the demo expected the short grant's rule to be deleted as expired");
  world.say(`   Deleted ${lagText(entry)} (the journal records this lag).`);
}

/** The journal entry of the short grant's expiry delete, once there is one. */
async function erinExpiry(world: DemoWorld): Promise<JournalEntry | undefined> {
  const entries = await readJournal(join(world.repo.dir, ".grantops", "journal.jsonl"));
  return entries.filter((entry) => entry.reason === "expired" && entry.grantId === ERIN_GRANT).at(-1);
}

function lagText(entry: JournalEntry): string {
  return `${entry.lagSeconds?.toFixed(2) ?? "?"} s after the expiry`;
}

async function untouched(world: DemoWorld): Promise<void> {
  const rules = await world.api.listRules();
  const others = rules.filter((rule) => !rule.ruleName.startsWith("grantops-"));
  world.say(
    `\n10. Rules grantops does not own, unchanged: ${others.map((rule) => `"${rule.ruleName}"`).join(", ")}.`,
  );
  await showRules(world, "    The Access Policy at the end:");
}

async function applyAndReport(world: DemoWorld, title: string): Promise<RunRecord> {
  const result = await reconcile(world.options, world.deps);
  world.say(`\n${title}:`);
  for (const org of result.organizations) {
    for (const outcome of org.applied?.outcomes ?? []) {
      const step = outcome.step;
      const what =
        step.kind === "create"
          ? `created ${step.rule.ruleName} (rule ${outcome.ruleId ?? "?"}) for ${step.users.join(", ")} → ${step.resources.join(", ")} until ${step.expiresAt}`
          : `deleted ${step.ruleName} (rule ${step.ruleId}): ${step.reason}`;
      world.say(`   ${outcome.outcome === "ok" ? "✓" : "✗"} ${what}`);
    }
    if ((org.applied?.outcomes.length ?? 0) === 0) world.say("   nothing to do");
  }
  return result;
}

async function showRules(world: DemoWorld, title: string): Promise<void> {
  world.say(`\n${title}`);
  const rules = [...(await world.api.listRules())].sort((a, b) => a.rulePriority - b.rulePriority);
  for (const rule of rules) {
    const description = rule.ruleDescription ? `  ${rule.ruleDescription}` : "";
    world.say(`   #${String(rule.rulePriority).padEnd(2)} ${rule.ruleName.padEnd(44)}${description}`);
  }
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split("\n")
    .map((line) => `   ${line}`)
    .join("\n");
}
