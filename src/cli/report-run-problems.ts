import { ExitCode } from "../core/model/exit-codes.js";
import type { RunPlan } from "../reconcile/run-record.js";
import type { CliContext } from "./cli-context.js";
import { formatProblem } from "./format-problem.js";
import { inertTerminal } from "../core/report/inert-terminal.js";

/** File problems, guard refusals and stale plans go to stderr, so stdout stays the plan. */
export function reportRunProblems(ctx: CliContext, result: RunPlan): void {
  for (const problem of result.problems) ctx.stderr(`${formatProblem(problem)}\n`);
  for (const org of result.organizations) {
    if (!org.check.ok)
      ctx.stderr(
        `grantops: refused (${org.plan.organization}): ${inertTerminal(org.check.message)} [${org.check.code}]\n`,
      );
    if (org.stale) {
      ctx.stderr(
        `grantops: refused (${org.plan.organization}): the saved plan no longer matches the world; run plan again [stale-plan]\n`,
      );
    }
  }
  if (result.exitCode === ExitCode.changes) ctx.stderr("grantops: changes pending (exit 2)\n");
}
