import { InvalidInputError } from "../../core/model/grantops-error.js";
import { ExitCode } from "../../core/model/exit-codes.js";
import type { StatusReport } from "../../core/model/status-report.js";
import { formatStatusText } from "../../core/status/format-status-text.js";
import { statusOf } from "../../core/status/status-of.js";
import { withWindow } from "../../core/status/with-window.js";
import { parseDuration } from "../../core/time/duration.js";
import { planRun } from "../../reconcile/plan-run.js";
import { readJournal } from "../../reconcile/journal.js";
import { statusSourcesOf } from "../../reconcile/status-sources-of.js";
import { addReconcileOptions } from "../reconcile-command-options.js";
import { readReconcileConfig, type ReconcileFlags } from "../reconcile-config.js";
import { buildPlanDeps } from "../build-reconcile-deps.js";
import { readServeStatus } from "../read-serve-status.js";
import { reportRunProblems } from "../report-run-problems.js";
import { runAction } from "../run-action.js";
import type { CliContext } from "../cli-context.js";
import type { CommandRegistrar } from "../program.js";

interface StatusFlags extends ReconcileFlags {
  format: string;
  within: string;
  serve?: string;
}

const FORMATS = ["table", "json"] as const;

export const registerStatusCommand: CommandRegistrar = (program, ctx, box) => {
  addReconcileOptions(
    program
      .command("status")
      .summary("who has access to what now, what is pending, what expires soon (writes nothing)")
      .description(
        "Per organization: active grants (users, groups, resources, time left, expiry) sorted by time left, pending " +
          "grants (approvals missing, held, not started yet), grants expiring within --within, rules that need " +
          "attention, recent expiry lags (from the journal). Plans from the repository and the live rules (vendor " +
          "credentials), or, with --serve URL, reads serve's GET /status.json (credentials GRANTOPS_STATUS_TOKEN or " +
          "GRANTOPS_STATUS_USER/GRANTOPS_STATUS_PASSWORD) including the last run, its result and the next wake. " +
          "Writes nothing. Exit 0, 4 invalid input, 1 unreadable state.",
      ),
  )
    .option("--format <format>", "table or json (versioned; schemas/status.schema.json)", "table")
    .option("--within <duration>", "what counts as expiring soon (90s, 30m, 4h)", "1h")
    .option("--serve <url>", "read the status of a running `grantops serve` instead of planning")
    .action(runAction(ctx, box, (flags: StatusFlags) => statusAction(ctx, flags)));
};

async function statusAction(ctx: CliContext, flags: StatusFlags): Promise<number> {
  const format = FORMATS.find((candidate) => candidate === flags.format);
  if (format === undefined)
    throw new InvalidInputError("bad-format", `--format ${flags.format}: use table or json`);
  const withinMs = parseDuration(flags.within);
  if (withinMs === null)
    throw new InvalidInputError("bad-within", `--within ${flags.within}: use 90s, 30m, 4h or PT1H`);
  const report =
    flags.serve === undefined
      ? await repositoryStatus(ctx, flags, withinMs)
      : withWindow(await readServeStatus(flags.serve, ctx.env, ctx.fetch), withinMs);
  ctx.stdout(format === "json" ? `${JSON.stringify(report, null, 2)}\n` : formatStatusText(report));
  return ExitCode.ok;
}

/** Plans read-only (no journal written) and reads the journal for recent expiry lags. */
async function repositoryStatus(
  ctx: CliContext,
  flags: StatusFlags,
  withinMs: number,
): Promise<StatusReport> {
  const config = readReconcileConfig(flags, ctx.env, ctx.cwd);
  const result = await planRun(config, await buildPlanDeps(ctx, config));
  reportRunProblems(ctx, { ...result, exitCode: ExitCode.ok });
  const journal = await readJournal(config.journalPath, { onWarning: (w) => ctx.stderr(`grantops: ${w}\n`) });
  return statusOf(
    {
      source: "repository",
      organizations: statusSourcesOf(result.organizations),
      journal,
      runs: [],
      nextWakeAt: result.nextWakeAt,
      health: null,
      repository: githubRepository(ctx.env),
      withinMs,
    },
    ctx.clock(),
  );
}

function githubRepository(env: Readonly<Record<string, string | undefined>>): string | null {
  return env["GRANTOPS_GITHUB_REPOSITORY"]?.trim() || env["GITHUB_REPOSITORY"]?.trim() || null;
}
