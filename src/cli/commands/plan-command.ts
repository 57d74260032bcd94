import { writeFile } from "node:fs/promises";
import { InvalidInputError } from "../../core/model/grantops-error.js";
import {
  formatPlans,
  PLAN_FORMATS,
  planSetJsonChunks,
  type PlanFormat,
} from "../../core/report/format-plan.js";
import { batchChunks } from "../../core/report/json-chunks.js";
import { planRun } from "../../reconcile/plan-run.js";
import { addReconcileOptions } from "../reconcile-command-options.js";
import { readReconcileConfig, type ReconcileFlags } from "../reconcile-config.js";
import { buildPlanDeps } from "../build-reconcile-deps.js";
import { reportRunProblems } from "../report-run-problems.js";
import { runAction } from "../run-action.js";
import { OWNERSHIP_HELP } from "../ownership-help.js";
import type { CliContext } from "../cli-context.js";
import type { CommandRegistrar } from "../program.js";

interface PlanFlags extends ReconcileFlags {
  format: string;
  out?: string;
}

export const registerPlanCommand: CommandRegistrar = (program, ctx, box) => {
  addReconcileOptions(
    program
      .command("plan")
      .summary("show the rules apply would create and delete (writes nothing)")
      .description(
        "Show what apply would do: the rules to create and delete in Cisco Secure Access. Writes nothing.\n" +
          `${OWNERSHIP_HELP}\n` +
          "Exit 0 in sync, 2 changes, 3 refused by a guard, 4 invalid input, 1 internal error.",
      ),
  )
    .option("--format <format>", "text, markdown or json", "text")
    .option("--out <file>", "also save the plan as JSON, for apply --plan")
    .action(runAction(ctx, box, (flags: PlanFlags) => planAction(ctx, flags)));
};

async function planAction(ctx: CliContext, flags: PlanFlags): Promise<number> {
  const format = planFormat(flags.format);
  const config = readReconcileConfig(flags, ctx.env, ctx.cwd);
  const result = await planRun(config, await buildPlanDeps(ctx, config));
  const plans = result.organizations.map((org) => org.plan);
  // JSON is written in pieces: the plan of 10,000 creates is about 18 MB of text, never held as one string.
  if (flags.out !== undefined) await writeFile(flags.out, batchChunks(planSetJsonChunks(plans)));
  if (format === "json") for (const piece of batchChunks(planSetJsonChunks(plans))) ctx.stdout(piece);
  else ctx.stdout(formatPlans(plans, format));
  reportRunProblems(ctx, result);
  return result.exitCode;
}

export function planFormat(text: string): PlanFormat {
  const format = PLAN_FORMATS.find((candidate) => candidate === text);
  if (format === undefined)
    throw new InvalidInputError("bad-format", `--format ${text}: use text, markdown or json`);
  return format;
}
