import type { Octokit } from "@octokit/rest";
import type { Problem } from "../core/model/types.js";
import { inertMarkdown } from "../core/report/inert-markdown.js";
import { createCheckRun } from "../github/create-check-run.js";
import { githubRequest } from "../github/github-api-error.js";
import type { GitHubLogger } from "../github/github-logger.js";
import { requestReviewers } from "../github/request-reviewers.js";
import {
  PLAN_MARKER,
  composeSticky,
  findMarkedComment,
  parseSticky,
  pullRequestTarget,
  writeMarkedComment,
  type PullRequestTarget,
} from "../github/sticky-comment.js";

/** Hidden state in the sticky comment: whom grantops already asked to review (asked once per PR). */
export const REVIEWERS_MARKER = "<!-- grantops:reviewers-requested ";

export interface PullRequestReport {
  octokit: Octokit;
  owner: string;
  repo: string;
  pullNumber: number;
  headSha: string;
  /** The comment (or validation result) as Markdown. */
  markdown: string;
  /** The check run's summary; default `markdown`. */
  checkMarkdown?: string;
  /** Teams and logins to ask for a review (once per PR); none by default. */
  reviewers?: readonly string[];
  problems: Problem[];
  conclusion: "success" | "failure" | "neutral";
  /** The check run's title, e.g. "2 grants to create, 0 problems". */
  title: string;
  logger: GitHubLogger;
}

/**
 * Publishes a pull request's plan: ONE sticky comment (marker `<!-- grantops:plan -->`, created once and then
 * updated in place, keeping any grant status block), reviewers requested once (remembered in the comment), and
 * a `grantops` check run on the head commit with the problems as annotations.
 */
export async function publishPullRequestReport(
  report: PullRequestReport,
): Promise<{ commentId: number; checkRunId: number }> {
  const target = pullRequestTarget(report);
  const existing = await findMarkedComment(target, PLAN_MARKER);
  const parts = parseSticky(existing?.body ?? "");
  const reviewers = await reviewersLine(target, parts.plan, report);
  const plan = reviewers === "" ? report.markdown : `${report.markdown}\n\n${reviewers}`;
  const commentId = await writeMarkedComment(target, existing, composeSticky({ plan, status: parts.status }));
  const checkRunId = await createCheckRun({ ...report, markdown: report.checkMarkdown ?? report.markdown });
  report.logger.info(
    `published the plan of pull request #${report.pullNumber}: comment ${commentId}, check run ${checkRunId}`,
  );
  return { commentId, checkRunId };
}

/** The comment's reviewers line: whom grantops asked before (never asked again), or asks now. */
async function reviewersLine(
  target: PullRequestTarget,
  previous: string,
  report: PullRequestReport,
): Promise<string> {
  const before = askedBefore(previous);
  if (before !== null) return askedLine(before);
  const wanted = report.reviewers ?? [];
  if (wanted.length === 0) return "";
  const { data } = await githubRequest(`reading pull request #${target.pullNumber}`, () =>
    target.octokit.rest.pulls.get({ owner: target.owner, repo: target.repo, pull_number: target.pullNumber }),
  );
  const result = await requestReviewers(target, wanted, data.user?.login ?? null);
  if (result.failure !== null) {
    report.logger.warn(
      `could not request reviewers on pull request #${target.pullNumber}: ${result.failure}`,
    );
    return `**Reviewers:** grantops could not request ${inertMarkdown(wanted.join(", "))}: ${inertMarkdown(result.failure)}`;
  }
  return result.asked.length === 0 ? "" : askedLine(result.asked);
}

function askedLine(asked: readonly string[]): string {
  const who = asked.length === 0 ? "nobody" : inertMarkdown(asked.join(", "));
  return `**Reviewers:** grantops asked ${who} to review.\n${REVIEWERS_MARKER}${JSON.stringify(asked)} -->`;
}

/** The list remembered in a previous comment, or null when grantops has not asked yet. */
export function askedBefore(plan: string): string[] | null {
  const start = plan.lastIndexOf(REVIEWERS_MARKER);
  if (start < 0) return null;
  const end = plan.indexOf(" -->", start);
  try {
    const parsed: unknown = JSON.parse(plan.slice(start + REVIEWERS_MARKER.length, end));
    return Array.isArray(parsed) && parsed.every((p) => typeof p === "string") ? parsed : null;
  } catch {
    return null;
  }
}
