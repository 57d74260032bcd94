import { writeFile } from "node:fs/promises";
import { ExitCode } from "../core/exit-codes.js";
import { InvalidInputError } from "../core/grantops-error.js";
import { formatPlans, PLAN_FORMATS, type PlanFormat } from "../core/format-plan.js";
import { reconcile, type ReconcileResult } from "../reconcile/reconcile.js";
import { addReconcileOptions } from "./reconcile-command-options.js";
import { readReconcileConfig, type ReconcileFlags } from "./reconcile-config.js";
import { buildReconcileDeps } from "./build-reconcile-deps.js";
import { formatProblem } from "./format-problem.js";
import { runAction } from "./run-action.js";
import type { CliContext } from "./cli-context.js";
import type { CommandRegistrar } from "./program.js";

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
  const result = await reconcile({ ...config, apply: false }, buildReconcileDeps(ctx, config));
  const plans = result.organizations.map((org) => org.plan);
  if (flags.out !== undefined) await writeFile(flags.out, formatPlans(plans, "json"));
  ctx.stdout(formatPlans(plans, format));
  reportRunProblems(ctx, result);
  return result.exitCode;
}

export function planFormat(text: string): PlanFormat {
  const format = PLAN_FORMATS.find((candidate) => candidate === text);
  if (format === undefined)
    throw new InvalidInputError("bad-format", `--format ${text}: use text, markdown or json`);
  return format;
}

/** File problems, guard refusals and stale plans go to stderr, so stdout stays the plan. */
export function reportRunProblems(ctx: CliContext, result: ReconcileResult): void {
  for (const problem of result.problems) ctx.stderr(`${formatProblem(problem)}\n`);
  for (const org of result.organizations) {
    if (!org.check.ok)
      ctx.stderr(`grantops: refused (${org.plan.organization}): ${org.check.message} [${org.check.code}]\n`);
    if (org.stale) {
      ctx.stderr(
        `grantops: refused (${org.plan.organization}): the saved plan no longer matches the world; run plan again [stale-plan]\n`,
      );
    }
  }
  if (result.exitCode === ExitCode.changes) ctx.stderr("grantops: changes pending (exit 2)\n");
}
