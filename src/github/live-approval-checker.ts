import type { LiveApprovalChecker } from "../core/model/live-approval.js";
import { githubRequest } from "./github-api-error.js";
import { GitHubApprovalVerifier } from "./github-approval-verifier.js";
import type { LandingPullRequest } from "./find-landing.js";
import type { GitHubTarget } from "./github-target.js";

/**
 * The live approval status of the grants an open pull request brings, as the apply-time verifier would judge
 * them if the PR were merged now (same rules, same counting: GitHubApprovalVerifier.verifyAsIfMerged). The PR's
 * author and head are read once per checker; reviews are read afresh for every grant.
 */
export function liveApprovalChecker(
  github: GitHubTarget,
  pullNumber: number,
  now: () => Date,
): LiveApprovalChecker {
  const verifier = new GitHubApprovalVerifier({ ...github, now });
  let pull: Promise<LandingPullRequest> | null = null;
  return {
    async check(version, policy) {
      pull ??= readPull(github, pullNumber);
      return verifier.verifyAsIfMerged(version, policy, await pull);
    },
  };
}

async function readPull(github: GitHubTarget, pullNumber: number): Promise<LandingPullRequest> {
  const { data } = await githubRequest(`reading pull request #${pullNumber}`, () =>
    github.octokit.rest.pulls.get({ owner: github.owner, repo: github.repo, pull_number: pullNumber }),
  );
  return { number: pullNumber, author: data.user?.login ?? null, headSha: data.head.sha };
}
