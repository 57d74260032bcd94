import { githubRequest, GitHubApiError } from "./github-api-error.js";
import type { PullRequestTarget } from "./sticky-comment.js";

export interface ReviewerRequest {
  /** Whom grantops asked ("@org/team" or logins, as in the policy). */
  asked: string[];
  /** Why the request failed (GitHub's answer), or null. */
  failure: string | null;
}

/**
 * Requests the policy's approvers as reviewers of the pull request: `@org/team` entries of the repository's
 * organization as team reviewers, plain entries as users. The PR author is never asked (GitHub refuses it), nor
 * a team of another organization. One call; a refusal (e.g. a team without access to the repository) is reported,
 * not thrown, so the comment still goes out.
 */
export async function requestReviewers(
  target: PullRequestTarget,
  principals: readonly string[],
  author: string | null,
): Promise<ReviewerRequest> {
  const { octokit, owner, repo, pullNumber } = target;
  const teams: string[] = [];
  const users: string[] = [];
  const asked: string[] = [];
  for (const principal of principals) {
    const team = /^@([^/]+)\/(.+)$/.exec(principal);
    if (team) {
      if (team[1]?.toLowerCase() !== owner.toLowerCase()) continue;
      teams.push(team[2] ?? "");
    } else {
      const login = principal.replace(/^@/, "");
      if (author !== null && login.toLowerCase() === author.toLowerCase()) continue;
      users.push(login);
    }
    asked.push(principal);
  }
  if (asked.length === 0) return { asked, failure: null };
  try {
    await githubRequest(`requesting reviewers on pull request #${pullNumber}`, () =>
      octokit.rest.pulls.requestReviewers({
        owner,
        repo,
        pull_number: pullNumber,
        reviewers: users,
        team_reviewers: teams,
      }),
    );
    return { asked, failure: null };
  } catch (error) {
    if (error instanceof GitHubApiError && error.status !== null && error.status < 500)
      return { asked: [], failure: error.message };
    throw error;
  }
}
