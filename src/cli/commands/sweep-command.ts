import {
  cacheDirOption,
  journalBranchOption,
  journalOption,
  noJournalBranchOption,
  repoOption,
  rulePrefixOption,
} from "../common-options.js";
import { sweepPlan } from "../../core/plan/sweep-plan.js";
import { formatPlan } from "../../core/report/format-plan.js";
import { assertRulePrefix } from "../../core/rule/rule-name.js";
import { ExitCode } from "../../core/model/exit-codes.js";
import { InvalidInputError } from "../../core/model/grantops-error.js";
import { DEFAULT_VERIFY_BUDGET, readVerifiedRules } from "../../reconcile/read-verified-rules.js";
import { createVerificationCache } from "../../reconcile/verification-cache.js";
import { checkJournalWritable } from "../../reconcile/check-journal-writable.js";
import { parseMarker } from "../../core/rule/rule-marker.js";
import { parseInstant } from "../../core/time/instant.js";
import { applyPlan } from "../../reconcile/apply-plan.js";
import { createJournal } from "../../reconcile/journal.js";
import { commandLogger, journalPublisher, vendorClientFactory } from "../build-reconcile-deps.js";
import { readJournalBranch } from "../reconcile-config.js";
import { reportJournalPublish } from "../report-journal-publish.js";
import { journalWriterOf } from "../../journal/journal-writer.js";
import { formatOutcomes } from "../format-outcomes.js";
import { runAction } from "../run-action.js";
import { decimalInteger } from "../decimal-integer.js";
import { OWNERSHIP_HELP } from "../ownership-help.js";
import { join, resolve } from "node:path";
import type { CliContext } from "../cli-context.js";
import type { CommandRegistrar } from "../program.js";

interface SweepFlags {
  orgId?: string;
  organization: string;
  credentials?: string;
  rulePrefix?: string;
  journal?: string;
  repo?: string;
  cacheDir?: string;
  journalBranch?: string | false;
  dryRun?: boolean;
}

export const registerSweepCommand: CommandRegistrar = (program, ctx, box) => {
  program
    .command("sweep")
    .summary("delete expired managed rules with only vendor credentials (independent revoker)")
    .description(
      "Delete the managed rules whose own marker says they expired, with only vendor credentials (no repository): " +
        "the independent revoker. A rule is deleted only when its full conditions (fetched) hash to its marker, its " +
        "expiry passed and it is an enabled allow rule; tampered, unexplained and suspicious rules are reported, " +
        "left for apply. Live, foreign and default rules are never touched. " +
        "Credentials: GRANTOPS_<CREDENTIALS>_API_KEY/_SECRET with URL GRANTOPS_<CREDENTIALS>_API_URL (--credentials), " +
        "else GRANTOPS_API_KEY/_SECRET with URL GRANTOPS_API_URL; stderr says which were used.\n" +
        `${OWNERSHIP_HELP}\n` +
        "Exit 0 done (or nothing to do), 2 with --dry-run and rules to delete, 4 unwritable journal, " +
        "5 some deletions failed or were not journaled, " +
        "6 journal entries not published to the journal branch (the next run publishes them).",
    )
    .requiredOption(
      "--org-id <id>",
      "Secure Access organization id the credentials belong to (env GRANTOPS_ORG_ID)",
      ctx.env["GRANTOPS_ORG_ID"],
    )
    .option("--organization <alias>", "organization alias for output and the journal", "default")
    .option("--credentials <alias>", "credentials alias: GRANTOPS_<ALIAS>_API_KEY, _API_SECRET and _API_URL")
    .addOption(rulePrefixOption())
    .addOption(journalOption())
    .addOption(
      repoOption(
        "grants repository whose journal branch receives the entries; nothing else is read from it (env GRANTOPS_REPO; default: none, the local journal only)",
      ),
    )
    .addOption(cacheDirOption())
    .addOption(journalBranchOption())
    .addOption(noJournalBranchOption())
    .option("--dry-run", "print the sweep plan and write nothing")
    .action(runAction(ctx, box, (flags: SweepFlags) => sweepAction(ctx, flags)));
};

async function sweepAction(ctx: CliContext, flags: SweepFlags): Promise<number> {
  const orgId = decimalInteger(flags.orgId) ?? 0;
  if (orgId < 1) {
    throw new InvalidInputError(
      "CONFIG_INVALID",
      `--org-id must be a positive decimal whole number, not ${JSON.stringify(flags.orgId)}`,
    );
  }
  const rulePrefix = flags.rulePrefix ?? ctx.env["GRANTOPS_RULE_PREFIX"] ?? "grantops-";
  assertRulePrefix(rulePrefix);
  const logger = commandLogger(ctx);
  const announce = (line: string): void => ctx.stderr(`grantops: using ${line}\n`);
  const api = vendorClientFactory(ctx, logger, { announce })(flags.organization, {
    orgId,
    credentials: flags.credentials ?? "",
  });
  const journalPath = resolve(
    ctx.cwd,
    flags.journal ?? ctx.env["GRANTOPS_JOURNAL"] ?? join(".grantops", "journal.jsonl"),
  );
  if (flags.dryRun !== true) await checkJournalWritable(journalPath, "journal");
  const now = ctx.clock();
  const { rules: actual } = await readVerifiedRules(
    api,
    orgId,
    { rulePrefix },
    {
      cache: createVerificationCache(null),
      clock: ctx.clock,
      budget: DEFAULT_VERIFY_BUDGET,
      worthFetching: (rule) =>
        (parseInstant(parseMarker(rule.ruleDescription)?.exp ?? "") ?? Infinity) <= now.getTime(),
    },
  );
  const plan = sweepPlan({ organization: flags.organization, orgId, actual }, now, { rulePrefix });
  ctx.stdout(formatPlan(plan, "text"));
  if (flags.dryRun === true) return plan.steps.length > 0 ? ExitCode.changes : ExitCode.ok;
  const journal = createJournal(journalPath, journalWriterOf("sweep", ctx.env));
  const journalBranch = readJournalBranch(flags.journalBranch, ctx.env);
  const publisher = journalPublisher(
    ctx,
    {
      repo: flags.repo ?? ctx.env["GRANTOPS_REPO"] ?? null,
      cacheDir: flags.cacheDir ?? ctx.env["GRANTOPS_CACHE_DIR"] ?? join(".grantops", "repos"),
      journalPath,
      journalBranch,
    },
    logger,
  );
  const leftovers = await publisher.publish();
  const applied = await applyPlan(plan, { api, journal, clock: ctx.clock, logger, signal: ctx.signal });
  ctx.stdout(formatOutcomes([applied]));
  const published = await publisher.publish();
  reportJournalPublish(
    ctx,
    { ...published, published: published.published + leftovers.published },
    journalBranch,
    journalPath,
  );
  if (applied.failed > 0 || applied.journalErrors > 0) return ExitCode.failedSteps;
  return published.pending > 0 ? ExitCode.unpublished : ExitCode.ok;
}
