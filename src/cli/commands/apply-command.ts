import { formatPlans } from "../../core/report/format-plan.js";
import { reconcile } from "../../reconcile/reconcile.js";
import { readSavedPlans } from "../../reconcile/read-saved-plans.js";
import { addReconcileOptions } from "../reconcile-command-options.js";
import { readReconcileConfig, type ReconcileFlags } from "../reconcile-config.js";
import { buildReconcileDeps } from "../build-reconcile-deps.js";
import { reportRunProblems } from "../report-run-problems.js";
import { formatOutcomes } from "../format-outcomes.js";
import { reportJournalPublish } from "../report-journal-publish.js";
import { runAction } from "../run-action.js";
import { OWNERSHIP_HELP } from "../ownership-help.js";
import { checkJournalWritable } from "../../reconcile/check-journal-writable.js";
import type { CliContext } from "../cli-context.js";
import type { CommandRegistrar } from "../program.js";

interface ApplyFlags extends ReconcileFlags {
  plan?: string;
}

export const registerApplyCommand: CommandRegistrar = (program, ctx, box) => {
  addReconcileOptions(
    program
      .command("apply")
      .summary("make Secure Access match the grant files (create, delete; never touches foreign rules)")
      .description(
        "Make Cisco Secure Access match the grant files: create missing rules, delete expired, removed, " +
          "replaced, tampered and unexplained ones. Never touches a rule it cannot prove it owns. Refuses (exit 4) " +
          "before any write when the journal or the state file cannot be written.\n" +
          "The journal is written to the local file first, then published to the journal branch of the grants " +
          "repository when it has a remote (docs/git-and-apply.md).\n" +
          `${OWNERSHIP_HELP}\n` +
          "Exit 0 applied, 3 refused by a guard or stale saved plan, 4 invalid input or unwritable journal, 5 some steps failed " +
          "or were not journaled, 6 journal entries not published (the next run publishes them), 1 internal error.",
      ),
  )
    .option("--plan <file>", "apply only if the world still gives this saved plan (from plan --out)")
    .action(runAction(ctx, box, (flags: ApplyFlags) => applyAction(ctx, flags)));
};

async function applyAction(ctx: CliContext, flags: ApplyFlags): Promise<number> {
  const config = readReconcileConfig(flags, ctx.env, ctx.cwd);
  await checkJournalWritable(config.journalPath, "journal");
  await checkJournalWritable(config.statePath, "state file");
  const savedPlans = flags.plan === undefined ? undefined : await readSavedPlans(flags.plan);
  const result = await reconcile(
    { ...config, ...(savedPlans === undefined ? {} : { savedPlans }) },
    await buildReconcileDeps(ctx, config),
  );
  ctx.stdout(
    formatPlans(
      result.organizations.map((org) => org.plan),
      "text",
    ),
  );
  ctx.stdout(formatOutcomes(result.organizations.map((org) => org.applied)));
  reportRunProblems(ctx, result);
  reportJournalPublish(ctx, result.journal, config.journalBranch, config.journalPath);
  return result.exitCode;
}
