import {
  cacheDirOption,
  maxDeletesOption,
  policyOption,
  repoOption,
  rulePrefixOption,
  trustGitOption,
} from "../common-options.js";
import { ExitCode } from "../../core/model/exit-codes.js";
import { InvalidInputError } from "../../core/model/grantops-error.js";
import { githubRequest } from "../../github/github-api-error.js";
import { publishPullRequestPlan } from "../../pull-request/publish-pull-request-plan.js";
import { githubTargetOf } from "../../github/github-target-of.js";
import { liveApprovalChecker } from "../../github/live-approval-checker.js";
import type { GitHubTarget } from "../../github/github-target.js";
import { planPullRequest } from "../../pull-request/plan-pull-request.js";
import {
  approvalVerifier,
  commandGitHubConfig,
  commandLogger,
  vendorClientFactory,
} from "../build-reconcile-deps.js";
import { formatProblem } from "../format-problem.js";
import { readReconcileConfig, type ReconcileFlags } from "../reconcile-config.js";
import { runAction } from "../run-action.js";
import type { CliContext } from "../cli-context.js";
import type { CommandRegistrar } from "../program.js";

interface PrReportFlags extends ReconcileFlags {
  pr: string;
  format?: string;
  headSha?: string;
  base?: string;
}

export const registerPrReportCommand: CommandRegistrar = (program, ctx, box) => {
  program
    .command("pr-report")
    .summary("validate and plan a pull request; post the sticky comment and check run")
    .description(
      "Validate the files a pull request changes and plan it as it would be after merging (read-only). The " +
        "comment is about this PR's grants: the rules each will create or delete, the approvals it needs and, " +
        "with GitHub configured, how many it has so far; the rest of the organization is a collapsed summary. " +
        "With GitHub configured, publish the sticky comment and the `grantops` check run and request the " +
        "approvers as reviewers (once); otherwise, or with --format, print it. Exit 0, or 4 when the PR's files " +
        "have errors.",
    )
    .requiredOption("--pr <n>", "pull request number")
    .option("--head-sha <sha>", "the PR head commit (default: from GitHub, else refs/pull/N/head)")
    .option(
      "--format <format>",
      "print the comment as markdown or json instead of publishing it (the default without GitHub: markdown)",
    )
    .option(
      "--base <branch>",
      "the branch the PR merges into (default: from GitHub, else the default branch)",
    )
    .addOption(repoOption())
    .addOption(policyOption())
    .addOption(cacheDirOption())
    .addOption(rulePrefixOption())
    .addOption(trustGitOption("without GitHub: treat grants already on the base branch as approved"))
    .addOption(maxDeletesOption("the mass-delete guard the plan is checked against (default 25)"))
    .action(runAction(ctx, box, (flags: PrReportFlags) => prReportAction(ctx, flags)));
};

async function prReportAction(ctx: CliContext, flags: PrReportFlags): Promise<number> {
  const pullNumber = parsePullNumber(flags.pr);
  if (flags.format !== undefined && flags.format !== "markdown" && flags.format !== "json") {
    throw new InvalidInputError("bad-format", `--format ${flags.format}: use markdown or json`);
  }
  const config = readReconcileConfig(flags, ctx.env, ctx.cwd);
  const logger = commandLogger(ctx);
  const githubConfig = commandGitHubConfig(ctx);
  const github = githubTargetOf(githubConfig, logger, ctx.fetch);
  const pull = await pullDetails(github, pullNumber, flags);
  const plan = await planPullRequest(
    {
      repo: config.repo,
      cacheDir: config.cacheDir,
      policyPath: config.policyPath,
      rulePrefix: config.rulePrefix,
      limits: config.limits,
      pullNumber,
      ...(pull.base === undefined ? {} : { branch: pull.base }),
      ...(pull.headSha === undefined ? {} : { headSha: pull.headSha }),
    },
    {
      clock: ctx.clock,
      logger,
      verifier: approvalVerifier(
        config,
        githubConfig === null ? null : { config: githubConfig, ctx, logger },
      ),
      apiFor: vendorClientFactory(ctx, logger),
      liveApproval: github === null ? null : liveApprovalChecker(github, pullNumber, ctx.clock),
    },
  );
  if (flags.format === "json") ctx.stdout(`${JSON.stringify(plan.comment, null, 2)}\n`);
  else if (github === null || flags.format === "markdown") ctx.stdout(plan.markdown);
  else {
    await publishPullRequestPlan(plan, github, logger);
    ctx.stdout(`published the plan of pull request #${pullNumber} (${plan.conclusion}): ${plan.title}\n`);
  }
  for (const problem of plan.problems) ctx.stderr(`${formatProblem(problem)}\n`);
  if (plan.invalid) return ExitCode.invalid;
  if (plan.planError !== null) {
    throw plan.planError instanceof Error
      ? plan.planError
      : new Error("the pull request could not be planned");
  }
  return ExitCode.ok;
}

function parsePullNumber(text: string): number {
  if (!/^[1-9][0-9]{0,9}$/.test(text)) {
    throw new InvalidInputError("bad-pr", `--pr ${text}: a pull request number (1 or more)`);
  }
  return Number(text);
}

/** The head sha and base branch: the flags, else GitHub's answer, else left to the repository. */
async function pullDetails(
  github: GitHubTarget | null,
  pullNumber: number,
  flags: PrReportFlags,
): Promise<{ headSha?: string; base?: string }> {
  if (github === null || (flags.headSha !== undefined && flags.base !== undefined)) {
    return {
      ...(flags.headSha === undefined ? {} : { headSha: flags.headSha }),
      ...(flags.base === undefined ? {} : { base: flags.base }),
    };
  }
  const { data } = await githubRequest(`reading pull request #${pullNumber}`, () =>
    github.octokit.rest.pulls.get({ owner: github.owner, repo: github.repo, pull_number: pullNumber }),
  );
  return { headSha: flags.headSha ?? data.head.sha, base: flags.base ?? data.base.ref };
}
