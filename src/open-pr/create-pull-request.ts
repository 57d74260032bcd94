// The GitHub side of --open-pr: the repository's default branch (read first, so a bad token or repository fails
// before anything is pushed) and the pull request.
import type { GitHubClient } from "../github/create-octokit.js";
import { githubRequest } from "../github/github-api-error.js";

export interface GitHubRepository {
  octokit: GitHubClient;
  owner: string;
  repo: string;
}

export interface RepositoryInfo {
  defaultBranch: string;
  /** The repository's web page, e.g. https://github.com/acme/grants. */
  htmlUrl: string;
}

export async function readRepositoryInfo(target: GitHubRepository): Promise<RepositoryInfo> {
  const { data } = await githubRequest(`reading the repository ${target.owner}/${target.repo}`, () =>
    target.octokit.rest.repos.get({ owner: target.owner, repo: target.repo }),
  );
  return { defaultBranch: data.default_branch, htmlUrl: data.html_url };
}

export interface NewPullRequest {
  head: string;
  base: string;
  title: string;
  body: string;
}

export async function createPullRequest(
  target: GitHubRepository,
  pull: NewPullRequest,
): Promise<{ number: number; url: string }> {
  const { data } = await githubRequest(`opening the pull request for ${pull.head}`, () =>
    target.octokit.rest.pulls.create({ owner: target.owner, repo: target.repo, ...pull }),
  );
  return { number: data.number, url: data.html_url };
}
