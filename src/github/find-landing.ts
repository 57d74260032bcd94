import type { Octokit } from "@octokit/rest";
import { githubCall } from "./github-api-error.js";

export interface LandingPullRequest {
  number: number;
  /** Login of the PR author (the requester); null for a deleted account. */
  author: string | null;
  /** The PR's final head commit: only approvals of this commit count. */
  headSha: string;
}

/** How a commit reached the default branch. */
export type Landing =
  | { kind: "pull"; pull: LandingPullRequest }
  | { kind: "push"; author: string | null }
  | { kind: "missing"; status: number };

interface Target {
  octokit: Octokit;
  owner: string;
  repo: string;
}

/**
 * The merged pull request that landed `sha`: the one whose merge commit is `sha`, else the earliest merged one
 * listing it (rebase merges land several commits; later PRs may contain the commit too). No merged PR → a direct
 * push, with the commit's GitHub author. 404/422 (unknown commit) → missing.
 */
export async function findLanding({ octokit, owner, repo }: Target, sha: string): Promise<Landing> {
  const listed = await githubCall(
    `listing the pull requests of commit ${sha.slice(0, 12)}`,
    () =>
      octokit.paginate(octokit.rest.repos.listPullRequestsAssociatedWithCommit, {
        owner,
        repo,
        commit_sha: sha,
        per_page: 100,
      }),
    [404, 422],
  );
  if (!listed.ok) return { kind: "missing", status: listed.status };
  const merged = listed.value
    .filter((pull) => pull.merged_at !== null && pull.merged_at !== undefined)
    .sort((a, b) => Date.parse(a.merged_at ?? "") - Date.parse(b.merged_at ?? "") || a.number - b.number);
  const pull = merged.find((candidate) => candidate.merge_commit_sha === sha) ?? merged[0];
  if (pull)
    return {
      kind: "pull",
      pull: { number: pull.number, author: pull.user?.login ?? null, headSha: pull.head.sha },
    };
  const commit = await githubCall(
    `reading commit ${sha.slice(0, 12)}`,
    () => octokit.rest.repos.getCommit({ owner, repo, ref: sha }),
    [404, 422],
  );
  if (!commit.ok) return { kind: "missing", status: commit.status };
  return { kind: "push", author: commit.value.data.author?.login ?? null };
}
