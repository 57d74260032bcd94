import { readFileSync } from "node:fs";
import { createLogger, type Logger } from "../log/create-logger.js";
import { createJournal } from "../reconcile/journal.js";
import { TrustGitVerifier } from "../git/trust-git-verifier.js";
import { UnverifiedApprovalVerifier } from "../git/unverified-approval-verifier.js";
import { createSecureAccessClient } from "../vendor/create-secure-access-client.js";
import { readVendorConfig } from "../vendor/read-vendor-config.js";
import type { ApprovalVerifier } from "../core/types.js";
import type { SecureAccessApi } from "../core/secure-access-types.js";
import type { Organization } from "../core/generated/policy-file.js";
import type { ReconcileDeps } from "../reconcile/reconcile.js";
import type { ReconcileConfig } from "./reconcile-config.js";
import type { CliContext } from "./cli-context.js";

/** The process logger of a command: JSON lines on stderr, level from GRANTOPS_LOG_LEVEL (default warn). */
export function commandLogger(ctx: CliContext): Logger {
  return createLogger({ level: ctx.env["GRANTOPS_LOG_LEVEL"] ?? "warn" });
}

/** A Secure Access client per organization, credentials from the environment (see docs/vendor-client.md). */
export function vendorClientFactory(
  ctx: CliContext,
  logger: Logger,
): (alias: string, organization: Organization) => SecureAccessApi {
  return (alias, organization) => {
    const settings = readVendorConfig(
      ctx.env,
      {
        alias,
        credentials: organization.credentials,
        ...(organization.apiBaseUrl === undefined ? {} : { apiBaseUrl: organization.apiBaseUrl }),
      },
      (path) => readFileSync(path, "utf8"),
    );
    return createSecureAccessClient({
      ...settings,
      fetch: ctx.fetch,
      signal: ctx.signal,
      logger: logger.child({ organization: alias }),
    });
  };
}

/** Approvals: GitHub when configured, git history with --trust-git, else nothing is verified. */
export function approvalVerifier(config: ReconcileConfig): ApprovalVerifier {
  return config.trustGit ? new TrustGitVerifier() : new UnverifiedApprovalVerifier();
}

export function buildReconcileDeps(ctx: CliContext, config: ReconcileConfig): ReconcileDeps {
  const logger = commandLogger(ctx);
  return {
    clock: ctx.clock,
    logger,
    journal: createJournal(config.journalPath),
    verifier: approvalVerifier(config),
    apiFor: vendorClientFactory(ctx, logger),
    signal: ctx.signal,
  };
}
