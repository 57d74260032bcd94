import { errorMessage } from "../core/model/error-message.js";
import { formatPlans } from "../core/report/format-plan.js";
import { summaryLine } from "../core/report/format-plan-text.js";
import { summarizeSteps } from "../core/plan/summarize-steps.js";
import { formatPullRequestComment } from "../core/report/format-pull-request-comment.js";
import type { PullRequestComment } from "../core/report/pull-request-comment.js";
import type { LiveApproval, LiveApprovalChecker } from "../core/model/live-approval.js";
import type {
  ApprovalVerifier,
  Plan,
  PlanLimits,
  PolicyFile,
  Problem,
  ResolvedVersion,
} from "../core/model/types.js";
import type { SecureAccessApi } from "../core/model/secure-access-types.js";
import type { Organization } from "../core/model/generated/policy-file.js";
import type { GitFactory } from "../git/git-env.js";
import type { YamlParser } from "../grants/parse-yaml-file.js";
import type { Logger } from "../observability/create-logger.js";
import { planDesired, readDeps } from "../reconcile/plan-run.js";
import { readDesiredAt } from "../reconcile/read-desired-state.js";
import type { RunPlan } from "../reconcile/run-record.js";
import { buildPullRequestComment } from "./build-pull-request-comment.js";
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
  /** Judges the PR's own grants live on GitHub (as if merged now), for the comment; null without GitHub. */
  liveApproval?: LiveApprovalChecker | null;
  git?: GitFactory;
  /** The YAML parser (default parseYamlFile): each file is parsed once. */
  parseYaml?: YamlParser;
}

export interface PullRequestPlan {
  pullNumber: number;
  /** The PR head that was planned (the check run goes on it). */
  headSha: string;
  /** The PR comment: this PR's grants first, the rest of the organization collapsed. */
  markdown: string;
  /** The comment's model (pr-report --format json). */
  comment: PullRequestComment;
  /** The check run's summary: the comment, then the full plan of the organization(s). */
  checkMarkdown: string;
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
  const live = await liveApprovals(pending.versions, state.policy, deps);
  const comment = buildPullRequestComment({
    pullNumber: input.pullNumber,
    basis: basis(preview),
    changeKinds: preview.changeKinds,
    grants: state.grants,
    policy: state.policy,
    plans,
    problems,
    versions: pending.versions,
    live,
    refusals: refused.flatMap((org) =>
      org.check.ok ? [] : [`${org.plan.organization}: ${org.check.message}`],
    ),
    planError: planError === null ? null : oneLineMessage(planError),
  });
  const markdown = formatPullRequestComment(comment);
  return {
    pullNumber: input.pullNumber,
    headSha: preview.headCommit,
    markdown,
    comment,
    checkMarkdown: fullPlan(markdown, plans),
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

/** The live approval of each grant the PR brings; a GitHub failure leaves the comment with the policy's terms. */
async function liveApprovals(
  versions: ReadonlyMap<string, ResolvedVersion>,
  policy: PolicyFile | null,
  deps: PullRequestPlanDeps,
): Promise<Map<string, LiveApproval>> {
  const live = new Map<string, LiveApproval>();
  const checker = deps.liveApproval;
  if (!checker || policy === null) return live;
  for (const [grantId, version] of versions) {
    try {
      live.set(grantId, await checker.check(version, policy));
    } catch (error) {
      deps.logger.warn({ err: error, grantId }, "live approval status unavailable");
    }
  }
  return live;
}

function basis(preview: PullRequestPreview): string {
  return preview.merged
    ? `As it would be after merging \`${preview.headCommit.slice(0, 12)}\` into \`${preview.branch}\` (\`${preview.baseCommit.slice(0, 12)}\`) now. Approvals are counted on this pull request's reviews as if it were merged now, and verified again when it is.`
    : `This pull request conflicts with \`${preview.branch}\`: planned at its head \`${preview.headCommit.slice(0, 12)}\`.`;
}

function fullPlan(markdown: string, plans: Plan[]): string {
  if (plans.length === 0) return markdown;
  return `${markdown}\n\n## The full plan after merge\n\n${formatPlans(plans, "markdown")}`;
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
