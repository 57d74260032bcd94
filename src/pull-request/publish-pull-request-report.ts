import type { Octokit } from "@octokit/rest";
import type { Problem } from "../core/model/types.js";
import { createCheckRun } from "../github/create-check-run.js";
import type { GitHubLogger } from "../github/github-logger.js";
import { pullRequestTarget, updateSticky } from "../github/sticky-comment.js";

export interface PullRequestReport {
  octokit: Octokit;
  owner: string;
  repo: string;
  pullNumber: number;
  headSha: string;
  /** The plan (or validation result) as Markdown. */
  markdown: string;
  problems: Problem[];
  conclusion: "success" | "failure" | "neutral";
  /** The check run's title, e.g. "2 grants to create, 0 problems". */
  title: string;
  logger: GitHubLogger;
}

/**
 * Publishes a pull request's plan: ONE sticky comment (marker `<!-- grantops:plan -->`, created once and then
 * updated in place, keeping any grant status block) and a `grantops` check run on the head commit with the
 * problems as annotations.
 */
export async function publishPullRequestReport(
  report: PullRequestReport,
): Promise<{ commentId: number; checkRunId: number }> {
  const commentId = await updateSticky(pullRequestTarget(report), ({ status }) => ({
    plan: report.markdown,
    status,
  }));
  const checkRunId = await createCheckRun(report);
  report.logger.info(
    `published the plan of pull request #${report.pullNumber}: comment ${commentId}, check run ${checkRunId}`,
  );
  return { commentId, checkRunId };
}
