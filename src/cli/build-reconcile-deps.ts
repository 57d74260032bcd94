import { readFileSync } from "node:fs";
import { createLogger, type Logger } from "../observability/create-logger.js";
import { createJournal } from "../reconcile/journal.js";
import { TrustGitVerifier } from "../git/trust-git-verifier.js";
import { UnverifiedApprovalVerifier } from "../git/unverified-approval-verifier.js";
import { createOctokit } from "../github/create-octokit.js";
import { GitHubApprovalVerifier } from "../github/github-approval-verifier.js";
import { readGitHubConfig, type GitHubConfig } from "../github/read-github-config.js";
import { createSecureAccessClient } from "../secure-access/create-secure-access-client.js";
import type { RequestInfo } from "../secure-access/client-settings.js";
import { createVendorBudget, type VendorBudget } from "../secure-access/vendor-budget.js";
import { describeVendorSource, readVendorConfig } from "../secure-access/read-vendor-config.js";
import type { ApprovalVerifier } from "../core/model/types.js";
import type { SecureAccessApi } from "../core/model/secure-access-types.js";
import type { Organization } from "../core/model/generated/policy-file.js";
import type { ReconcileDeps } from "../reconcile/reconcile.js";
import type { PlanRunDeps } from "../reconcile/plan-run.js";
import type { ReconcileConfig } from "./reconcile-config.js";
import type { CliContext } from "./cli-context.js";
import { readVendorTuning } from "./read-vendor-tuning.js";
import { createOwnershipTracker } from "../reconcile/ownership-tracker.js";
import { createJournalPublisher, type JournalPublisher } from "../journal/publish-journal.js";
import { resolveJournalTarget } from "../journal/journal-target.js";
import { journalWriterOf } from "../journal/journal-writer.js";
import { resolve } from "node:path";
import type { LandingCache } from "../git/landing-times.js";
import { createLandingCache, landingCachePathFor } from "../reconcile/landing-cache.js";

/** Optional hooks of the clients a command builds (serve counts vendor requests for its metrics). */
export interface ClientHooks {
  /** Called once per Secure Access HTTP request (token requests included). */
  onRequest?: (info: RequestInfo) => void;
  /** Signal given to the vendor clients (default ctx.signal). */
  signal?: AbortSignal;
  /** Told which credentials alias and URL each organization's client uses (always logged at info too). */
  announce?: (line: string) => void;
  /** Told each organization's vendor budget (serve's reserve metrics). */
  onBudget?: (organization: string, budget: VendorBudget) => void;
}

/** The process logger of a command: JSON lines on stderr, level from GRANTOPS_LOG_LEVEL (default warn). */
export function commandLogger(ctx: CliContext): Logger {
  return createLogger({ level: ctx.env["GRANTOPS_LOG_LEVEL"] ?? "warn" });
}

/**
 * A Secure Access client per organization, credentials from the environment (see docs/vendor-client.md).
 * The GRANTOPS_VENDOR_* tuning variables are validated here, before any client exists.
 */
export function vendorClientFactory(
  ctx: CliContext,
  logger: Logger,
  hooks: ClientHooks = {},
): (alias: string, organization: Organization) => SecureAccessApi {
  const tuning = readVendorTuning(ctx.env);
  // One budget per API key and URL for the life of the factory (serve's process): clients are rebuilt every few
  // minutes, the vendor's windows are not.
  const budgets = new Map<string, VendorBudget>();
  return (alias, organization) => {
    const { source, ...settings } = readVendorConfig(
      ctx.env,
      {
        alias,
        credentials: organization.credentials,
        ...(organization.apiBaseUrl === undefined ? {} : { apiBaseUrl: organization.apiBaseUrl }),
      },
      (path) => readFileSync(path, "utf8"),
    );
    const line = describeVendorSource(alias, { ...settings, source });
    logger.info({ organization: alias, credentials: source.credentials, url: settings.baseUrl }, line);
    hooks.announce?.(line);
    const budgetKey = JSON.stringify([settings.baseUrl, settings.apiKey]);
    const budget = budgets.get(budgetKey) ?? createVendorBudget();
    budgets.set(budgetKey, budget);
    hooks.onBudget?.(alias, budget);
    return createSecureAccessClient({
      ...settings,
      budget,
      ...tuning,
      fetch: ctx.fetch,
      signal: hooks.signal ?? ctx.signal,
      logger: logger.child({ organization: alias }),
      ...(hooks.onRequest === undefined ? {} : { onRequest: hooks.onRequest }),
    });
  };
}

/** The GitHub settings from the environment (null when GitHub is not configured); throws on invalid ones. */
export function commandGitHubConfig(ctx: CliContext): Readonly<GitHubConfig> | null {
  return readGitHubConfig(ctx.env, (path) => readFileSync(path, "utf8"));
}

/**
 * Approvals: GitHub when configured (a token or a GitHub App), else the git history with --trust-git, else
 * nothing is verified.
 */
export function approvalVerifier(
  config: Pick<ReconcileConfig, "trustGit">,
  github: { config: Readonly<GitHubConfig>; ctx: CliContext; logger: Logger } | null = null,
): ApprovalVerifier {
  if (github !== null) {
    const logger = github.logger.child({ component: "github" });
    const octokit = createOctokit({ ...github.config, logger, fetch: github.ctx.fetch });
    return new GitHubApprovalVerifier({
      octokit,
      owner: github.config.owner,
      repo: github.config.repo,
      logger,
      now: github.ctx.clock,
    });
  }
  return config.trustGit ? new TrustGitVerifier() : new UnverifiedApprovalVerifier();
}

/**
 * What planning a run needs (no journal: a plan writes nothing; the verification state and the landing-times
 * cache are read, never written).
 */
export async function buildPlanDeps(
  ctx: CliContext,
  config: ReconcileConfig,
  hooks: ClientHooks & { logger?: Logger } = {},
): Promise<PlanRunDeps> {
  const logger = hooks.logger ?? commandLogger(ctx);
  const github = commandGitHubConfig(ctx);
  const ownership = await createOwnershipTracker({
    statePath: config.statePath,
    journalPath: config.journalPath,
    clock: ctx.clock,
    logger,
    budget: config.verifyBudget,
  });
  return {
    clock: ctx.clock,
    ownership,
    landingCache: landingCacheOf(config, logger, true),
    verifier: approvalVerifier(config, github === null ? null : { config: github, ctx, logger }),
    apiFor: vendorClientFactory(ctx, logger, hooks),
  };
}

/** The landing-times cache beside the verification state file (docs/git-and-apply.md, "Landing time"). */
function landingCacheOf(config: ReconcileConfig, logger: Logger, readOnly: boolean): LandingCache {
  return createLandingCache(landingCachePathFor(config.statePath), {
    onWarning: (message) => logger.warn({ statePath: config.statePath }, message),
    readOnly,
  });
}

/**
 * The publisher of a local journal to the journal branch of `repo` (docs/git-and-apply.md, "The journal branch"):
 * a local-only repository, or a null branch, keeps the journal in the local file.
 */
export function journalPublisher(
  ctx: CliContext,
  settings: { repo: string | null; cacheDir: string; journalPath: string; journalBranch: string | null },
  logger: Logger,
): JournalPublisher {
  const { repo, journalBranch } = settings;
  return createJournalPublisher({
    journalPath: resolve(ctx.cwd, settings.journalPath),
    target: () =>
      repo === null
        ? Promise.resolve(null)
        : resolveJournalTarget({
            repo,
            cacheDir: resolve(ctx.cwd, settings.cacheDir),
            cwd: ctx.cwd,
            branch: journalBranch,
          }),
    logger: logger.child({ component: "journal" }),
  });
}

/** What a reconcile run (plan and apply) needs: the plan's dependencies, the journal, the logger, the signal. */
export async function buildReconcileDeps(
  ctx: CliContext,
  config: ReconcileConfig,
  hooks: ClientHooks & { logger?: Logger } = {},
): Promise<ReconcileDeps> {
  const logger = hooks.logger ?? commandLogger(ctx);
  return {
    ...(await buildPlanDeps(ctx, config, { ...hooks, logger })),
    landingCache: landingCacheOf(config, logger, false),
    logger,
    journal: createJournal(resolve(ctx.cwd, config.journalPath), journalWriterOf("apply", ctx.env)),
    publisher: journalPublisher(ctx, config, logger),
    signal: ctx.signal,
  };
}
