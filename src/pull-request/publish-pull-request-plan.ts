import type { GitHubTarget } from "../github/github-target.js";
import type { Logger } from "../observability/create-logger.js";
import type { PullRequestPlan } from "./plan-pull-request.js";
import { publishPullRequestReport } from "./publish-pull-request-report.js";

/** Publishes the PR plan as the sticky comment and check run, or only logs it when GitHub is not configured. */
export async function publishPullRequestPlan(
  plan: PullRequestPlan,
  github: GitHubTarget | null,
  logger: Logger,
): Promise<void> {
  const summary = { pullNumber: plan.pullNumber, headSha: plan.headSha, conclusion: plan.conclusion };
  if (github === null) {
    logger.info(
      { ...summary, title: plan.title },
      "pull request planned (GitHub not configured: not published)",
    );
    return;
  }
  await publishPullRequestReport({
    octokit: github.octokit,
    owner: github.owner,
    repo: github.repo,
    pullNumber: plan.pullNumber,
    headSha: plan.headSha,
    markdown: plan.markdown,
    checkMarkdown: plan.checkMarkdown,
    reviewers: plan.comment.reviewers,
    problems: plan.problems,
    conclusion: plan.conclusion,
    title: plan.title,
    logger: github.logger,
  });
  logger.info({ ...summary, title: plan.title }, "pull request plan published");
}
