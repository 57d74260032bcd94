import type { Octokit } from "@octokit/rest";
import {
  mergeStatusEntries,
  parseStatusEntries,
  renderStatusSection,
  type GrantStatusEntry,
} from "./render-status-section.js";
import { pullRequestTarget, updateSticky } from "../github/sticky-comment.js";

export interface PullRequestStatusUpdate {
  octokit: Octokit;
  owner: string;
  repo: string;
  pullNumber: number;
  entries: GrantStatusEntry[];
}

/**
 * Rewrites the grant status block of the PR's sticky comment (between `<!-- grantops:status:start -->` and
 * `<!-- grantops:status:end -->`), keeping the plan part. Entries merge by grant id with those already shown.
 * Creates the sticky comment when there is none. Returns its id.
 */
export async function updatePullRequestStatus(update: PullRequestStatusUpdate): Promise<number> {
  return updateSticky(pullRequestTarget(update), ({ plan, status }) => ({
    plan,
    status: renderStatusSection(mergeStatusEntries(parseStatusEntries(status), update.entries)),
  }));
}
