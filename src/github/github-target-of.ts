import { createOctokit } from "./create-octokit.js";
import type { GitHubConfig } from "./read-github-config.js";
import type { Logger } from "../observability/create-logger.js";
import type { GitHubTarget } from "./github-target.js";

/** The reporting target for a GitHub configuration (null when GitHub is not configured). */
export function githubTargetOf(
  config: Readonly<GitHubConfig> | null,
  logger: Logger,
  fetch: typeof globalThis.fetch,
): GitHubTarget | null {
  if (config === null) return null;
  const githubLogger = logger.child({ component: "github" });
  return {
    octokit: createOctokit({ ...config, logger: githubLogger, fetch }),
    owner: config.owner,
    repo: config.repo,
    logger: githubLogger,
  };
}
