import type { Octokit } from "@octokit/rest";
import { githubRequest } from "./github-api-error.js";

/** A reviewer's decisive review: the latest APPROVED, CHANGES_REQUESTED or DISMISSED one. */
export interface LatestReview {
  login: string;
  isBot: boolean;
  state: "APPROVED" | "CHANGES_REQUESTED" | "DISMISSED";
  commitId: string | null;
}

export interface ReviewLike {
  id: number;
  user: { login: string; type?: string } | null;
  state: string;
  commit_id: string | null;
  submitted_at?: string | null;
}

const DECISIVE = new Set(["APPROVED", "CHANGES_REQUESTED", "DISMISSED"]);

/** Every review of a pull request (all pages), reduced to each reviewer's latest decisive review. */
export async function listLatestReviews(
  target: { octokit: Octokit; owner: string; repo: string },
  pullNumber: number,
): Promise<LatestReview[]> {
  const { octokit, owner, repo } = target;
  const listed = await githubRequest(`listing the reviews of pull request #${pullNumber}`, () =>
    octokit.paginate(octokit.rest.pulls.listReviews, { owner, repo, pull_number: pullNumber, per_page: 100 }),
  );
  return latestReviews(listed);
}

/**
 * Latest decisive review per reviewer, ordered by submitted_at then id. COMMENTED and PENDING reviews never change
 * a reviewer's standing (as on GitHub: a comment after an approval leaves the approval in place).
 */
export function latestReviews(reviews: readonly ReviewLike[]): LatestReview[] {
  const ordered = [...reviews].sort((a, b) => time(a) - time(b) || a.id - b.id);
  const latest = new Map<string, LatestReview>();
  for (const review of ordered) {
    const state = review.state.toUpperCase();
    if (review.user === null || !DECISIVE.has(state)) continue;
    const login = review.user.login;
    latest.set(login.toLowerCase(), {
      login,
      isBot: review.user.type === "Bot" || login.toLowerCase().endsWith("[bot]"),
      state: state as LatestReview["state"],
      commitId: review.commit_id,
    });
  }
  return [...latest.values()];
}

function time(review: ReviewLike): number {
  const ms = review.submitted_at ? Date.parse(review.submitted_at) : NaN;
  return Number.isNaN(ms) ? Number.MAX_SAFE_INTEGER : ms;
}
