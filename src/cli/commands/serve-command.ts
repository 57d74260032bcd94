import {
  cacheDirOption,
  journalBranchOption,
  journalOption,
  maxDeletesOption,
  noJournalBranchOption,
  policyOption,
  repoOption,
  rulePrefixOption,
  trustGitOption,
} from "../common-options.js";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Registry } from "prom-client";
import { ExitCode } from "../../core/model/exit-codes.js";
import { isRemoteUrl } from "../../git/redact-url.js";
import { createMetrics } from "../../observability/create-metrics.js";
import { createJournal, readJournal, readNotificationEntries } from "../../reconcile/journal.js";
import { createNotifier } from "../../notify/create-notifier.js";
import { createOwnershipTracker } from "../../reconcile/ownership-tracker.js";
import { statePathFor } from "../../reconcile/verification-cache.js";
import { createLandingCache, landingCachePathFor } from "../../reconcile/landing-cache.js";
import { journalWriterOf } from "../../journal/journal-writer.js";
import { readServeConfig, type ServeFlags } from "../../daemon/read-serve-config.js";
import { startServe } from "../../daemon/serve.js";
import { createServeHandlers } from "../../daemon/run/create-serve-handlers.js";
import { githubTargetOf } from "../../github/github-target-of.js";
import { reuseClients } from "../../daemon/run/reuse-clients.js";
import { streamLogger } from "../../observability/stream-logger.js";
import { vendorMetricsHook } from "../../observability/vendor-metrics-hook.js";
import {
  approvalVerifier,
  commandGitHubConfig,
  journalPublisher,
  vendorClientFactory,
} from "../build-reconcile-deps.js";
import { readReconcileConfig } from "../reconcile-config.js";
import { runAction } from "../run-action.js";
import type { CliContext } from "../cli-context.js";
import type { CommandRegistrar } from "../program.js";

interface ServeCommandFlags extends ServeFlags {
  policy?: string;
  cacheDir?: string;
  rulePrefix?: string;
  journalBranch?: string | false;
}

export const registerServeCommand: CommandRegistrar = (program, ctx, box) => {
  program
    .command("serve")
    .summary("webhook server + scheduled reconcile + precise expiry timer")
    .description(
      "Run continuously: GitHub webhook server (POST /webhook, GET /healthz, /readyz, /metrics; GET /status and " +
        "/status.json when GRANTOPS_STATUS_TOKEN, GRANTOPS_STATUS_USER/_PASSWORD or GRANTOPS_STATUS_LOOPBACK=1 is set), reconcile at " +
        "startup, on pushes to the default branch, on a periodic tick and precisely at the next expiry; plan " +
        "pull requests. Prints `listening on URL` when ready; logs go to stderr. Stops on SIGTERM/SIGINT (exit 0).",
    )
    .addOption(repoOption("grants repository: a local path or a clone URL (env GRANTOPS_REPO; required)"))
    .option("--branch <name>", "the branch grants land on (env GRANTOPS_BRANCH; default: the default branch)")
    .option("--host <addr>", "listen address (env GRANTOPS_HOST; default 127.0.0.1)")
    .option("--port <n>", "listen port, 0 = any free port (env GRANTOPS_PORT; default 8080)")
    .option(
      "--interval <duration>",
      "backstop reconcile period, 10s to 24h (env GRANTOPS_RECONCILE_INTERVAL; default 5m)",
    )
    .addOption(trustGitOption())
    .addOption(maxDeletesOption())
    .addOption(journalOption())
    .addOption(journalBranchOption())
    .addOption(noJournalBranchOption())
    .addOption(policyOption())
    .addOption(cacheDirOption())
    .addOption(rulePrefixOption())
    .action(runAction(ctx, box, (flags: ServeCommandFlags) => serveAction(ctx, flags)));
};

async function serveAction(ctx: CliContext, flags: ServeCommandFlags): Promise<number> {
  const config = readServeConfig(flags, ctx.env, (path) => readFileSync(path, "utf8"));
  const repo = isRemoteUrl(config.repo) ? config.repo : resolve(ctx.cwd, config.repo);
  const settings = readReconcileConfig(
    {
      repo,
      trustGit: config.trustGit,
      maxDeletes: String(config.maxDeletes),
      ...(config.journal === undefined ? {} : { journal: config.journal }),
      ...(flags.policy === undefined ? {} : { policy: flags.policy }),
      ...(flags.cacheDir === undefined ? {} : { cacheDir: flags.cacheDir }),
      ...(flags.rulePrefix === undefined ? {} : { rulePrefix: flags.rulePrefix }),
      ...(flags.journalBranch === undefined ? {} : { journalBranch: flags.journalBranch }),
    },
    ctx.env,
    ctx.cwd,
  );
  const logger = streamLogger(ctx.stderr, ctx.env["GRANTOPS_LOG_LEVEL"] ?? "info");
  const registry = new Registry();
  const metrics = createMetrics(registry);
  const githubConfig = commandGitHubConfig(ctx);
  const journalPath = resolve(ctx.cwd, settings.journalPath);
  const journalFile = createJournal(journalPath, journalWriterOf("serve", ctx.env));
  const notifier = createNotifier({
    env: ctx.env,
    fetch: ctx.fetch,
    journal: journalFile,
    clock: ctx.clock,
    logger,
    sent: await readNotificationEntries(journalPath),
    onDelivery: (sink, outcome) => metrics.notifications.inc({ sink, outcome }),
  });
  // Vendor requests in flight finish on shutdown; apply stops between steps (ctx.signal).
  const clients = new AbortController();
  const ownership = await createOwnershipTracker({
    statePath: statePathFor(journalPath),
    journalPath,
    clock: ctx.clock,
    logger,
  });
  const handlers = createServeHandlers(
    {
      repo,
      branch: config.branch,
      cacheDir: resolve(ctx.cwd, settings.cacheDir),
      prCacheDir: join(resolve(ctx.cwd, settings.cacheDir), "pull-requests"),
      policyPath: settings.policyPath,
      rulePrefix: settings.rulePrefix,
      limits: settings.limits,
    },
    {
      clock: ctx.clock,
      logger,
      journal: journalFile,
      ownership,
      landingCache: createLandingCache(landingCachePathFor(statePathFor(journalPath)), {
        onWarning: (message) => logger.warn(message),
      }),
      publisher: journalPublisher(ctx, { ...settings, repo }, logger),
      verifier: approvalVerifier(
        settings,
        githubConfig === null ? null : { config: githubConfig, ctx, logger },
      ),
      apiFor: reuseClients(
        vendorClientFactory(ctx, logger, {
          onRequest: vendorMetricsHook(metrics),
          signal: clients.signal,
          onBudget: (organization, budget) => metrics.vendorBudgets.set(organization, budget),
        }),
        ctx.clock,
      ),
      metrics,
      github: githubTargetOf(githubConfig, logger, ctx.fetch),
      signal: ctx.signal,
      notifier,
    },
  );
  const journal = await readJournal(journalPath, { onWarning: (message) => logger.warn(message) });
  const handle = await startServe(config, {
    ...handlers,
    logger,
    metrics,
    registry,
    clock: ctx.clock,
    journal,
  });
  ctx.stdout(`listening on ${handle.url}\n`);
  await aborted(ctx.signal);
  logger.info("shutting down: finishing the current run");
  await handle.close();
  await notifier.close();
  clients.abort();
  return ExitCode.ok;
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((done) => signal.addEventListener("abort", () => done(), { once: true }));
}
