import type { Octokit } from "@octokit/rest";
import type { GitHubLogger } from "./github-logger.js";

/** Where pull request reports go: an authenticated Octokit and the grants repository on GitHub. */
export interface GitHubTarget {
  octokit: Octokit;
  owner: string;
  repo: string;
  logger: GitHubLogger;
}
