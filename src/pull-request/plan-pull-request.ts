import { errorMessage } from "../core/model/error-message.js";
import { formatPlans } from "../core/report/format-plan.js";
import { summaryLine } from "../core/report/format-plan-text.js";
import { summarizeSteps } from "../core/plan/summarize-steps.js";
import { inertCode, inertMarkdown } from "../core/report/inert-markdown.js";
import type { ApprovalVerifier, Plan, PlanLimits, Problem } from "../core/model/types.js";
import type { SecureAccessApi } from "../core/model/secure-access-types.js";
import type { Organization } from "../core/model/generated/policy-file.js";
import type { GitFactory } from "../git/git-env.js";
import type { YamlParser } from "../grants/parse-yaml-file.js";
import type { Logger } from "../observability/create-logger.js";
import { planDesired, readDeps } from "../reconcile/plan-run.js";
import { readDesiredAt } from "../reconcile/read-desired-state.js";
import type { OrganizationPlan, RunPlan } from "../reconcile/run-record.js";
import { labelPending, pendingApprovalVerifier } from "./pending-approval-verifier.js";
import { previewPullRequest, type PullRequestPreview } from "./pull-request-preview.js";

export interface PullRequestPlanInput {
  repo: string;
  /** The base branch; default the repository's default branch. */
  branch?: string;
  cacheDir: string;
  policyPath: string;
  rulePrefix: string;
  limits: PlanLimits;
  pullNumber: number;
  /** Default: what refs/pull/N/head names. */
  headSha?: string;
}

export interface PullRequestPlanDeps {
  clock: () => Date;
  logger: Logger;
  /** Verifies the grants the PR does not change (as on the base). */
  verifier: ApprovalVerifier;
  apiFor: (alias: string, organization: Organization) => SecureAccessApi;
  git?: GitFactory;
  /** The YAML parser (default parseYamlFile): each file is parsed once. */
  parseYaml?: YamlParser;
}

export interface PullRequestPlan {
  pullNumber: number;
  /** The PR head that was planned (the check run goes on it). */
  headSha: string;
  markdown: string;
  /** Problems of the files the PR changes. */
  problems: Problem[];
  conclusion: "success" | "failure" | "neutral";
  title: string;
  plans: Plan[];
  /** True when a file the PR changes has an error. */
  invalid: boolean;
  /** Why there is no plan (the policy is invalid, the vendor unreachable, ...), or null. */
  planError: unknown;
}

/**
 * The plan of a pull request, read-only: the repository as it would be right after merging (see
 * previewPullRequest) is read and validated once (the problems of the files the PR changes are reported,
 * positions included), and planned with the approvals of the PR's own grants shown as pending. Nothing is
 * written anywhere (no journal).
 */
export async function planPullRequest(
  input: PullRequestPlanInput,
  deps: PullRequestPlanDeps,
): Promise<PullRequestPlan> {
  const now = deps.clock();
  const preview = await previewPullRequest({ ...input, now, ...(deps.git ? { git: deps.git } : {}) });
  const state = await readDesiredAt(
    { dir: preview.dir, branch: preview.branch, commit: preview.commit },
    { policyPath: input.policyPath, now, changedFiles: preview.changedFiles, ...readDeps(deps) },
  );
  let result: RunPlan | null = null;
  let planError: unknown = null;
  const pending = pendingApprovalVerifier(deps.verifier, broughtBy(preview), input.pullNumber);
  try {
    result = await planDesired(state, now, input, {
      clock: () => now,
      verifier: pending.verifier,
      apiFor: deps.apiFor,
      ...readDeps(deps),
    });
  } catch (error) {
    planError = error;
    deps.logger.warn({ err: error, pullNumber: input.pullNumber }, "pull request plan unavailable");
  }
  // The files' problems (validated once, expired grants among the changed files as errors), then the users
  // and resources that could not be resolved: those of the files the pull request changes.
  const problems = (result?.problems ?? state.problems).filter((p) => preview.changedFiles.has(p.file));
  const plans = (result?.organizations ?? []).map((org) =>
    labelPending(org.plan, pending.pending, input.pullNumber),
  );
  const invalid = problems.some((problem) => problem.severity === "error");
  const refused = (result?.organizations ?? []).filter((org) => !org.check.ok);
  return {
    pullNumber: input.pullNumber,
    headSha: preview.headCommit,
    markdown: render(input.pullNumber, preview, plans, problems, refused, planError),
    problems,
    conclusion: invalid ? "failure" : refused.length > 0 || planError !== null ? "neutral" : "success",
    title: title(plans, problems, planError),
    plans,
    invalid,
    planError,
  };
}

/** A version the PR brings: landed by the preview merge (or, on conflicts, a file the PR changes). */
function broughtBy(preview: PullRequestPreview) {
  return (version: { commit: string; grant: { file: string } }): boolean =>
    preview.merged ? version.commit === preview.commit : preview.changedFiles.has(version.grant.file);
}

function render(
  pullNumber: number,
  preview: PullRequestPreview,
  plans: Plan[],
  problems: Problem[],
  refused: OrganizationPlan[],
  planError: unknown,
): string {
  const out = [
    `## grantops: plan of pull request #${pullNumber}`,
    "",
    preview.merged
      ? `As it would be after merging \`${preview.headCommit.slice(0, 12)}\` into \`${preview.branch}\` (\`${preview.baseCommit.slice(0, 12)}\`) now. Approvals of the grants this pull request brings are pending: they are verified when it is merged.`
      : `This pull request conflicts with \`${preview.branch}\`: planned at its head \`${preview.headCommit.slice(0, 12)}\`. Approvals of its grants are pending.`,
    "",
  ];
  out.push(...problemLines(problems));
  for (const org of refused) {
    if (!org.check.ok)
      out.push(
        `**Refused after merge (${inertMarkdown(org.plan.organization)}):** ${inertMarkdown(org.check.message)}`,
        "",
      );
  }
  if (planError !== null) out.push(`**No plan:** ${inertMarkdown(oneLineMessage(planError))}`, "");
  if (plans.length > 0) out.push(formatPlans(plans, "markdown"));
  return out.join("\n");
}

function problemLines(problems: Problem[]): string[] {
  if (problems.length === 0) return ["Files changed by this pull request: no problems.", ""];
  return [
    `#### Problems in the files of this pull request (${countProblems(problems)})`,
    "",
    ...problems.map(
      (p) =>
        `- ${inertCode(`${p.file}:${p.line}:${p.column}`)} ${p.severity}: ${inertMarkdown(p.message)} [${inertMarkdown(p.code)}]`,
    ),
    "",
  ];
}

function countProblems(problems: Problem[]): string {
  const errors = problems.filter((p) => p.severity === "error").length;
  const warnings = problems.length - errors;
  return `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
}

function title(plans: Plan[], problems: Problem[], planError: unknown): string {
  if (planError !== null) return `No plan; ${countProblems(problems)}`;
  const steps = summaryLine(summarizeSteps(plans.flatMap((plan) => plan.steps))).replace(/\.$/, "");
  return `${steps}; ${countProblems(problems)}`;
}

function oneLineMessage(error: unknown): string {
  return errorMessage(error).replace(/\r?\n/g, " ");
}
