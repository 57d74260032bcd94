import type { Octokit } from "@octokit/rest";
import {
  mergeStatusEntries,
  parseStatusEntries,
  renderStatusSection,
  type GrantStatusEntry,
} from "./render-status-section.js";
import {
  PLAN_MARKER,
  composeSticky,
  findMarkedComment,
  parseSticky,
  writeMarkedComment,
  pullRequestTarget,
} from "../github/sticky-comment.js";

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
  const target = pullRequestTarget(update);
  const existing = await findMarkedComment(target, PLAN_MARKER);
  const parts = parseSticky(existing?.body ?? "");
  const entries = mergeStatusEntries(parseStatusEntries(parts.status), update.entries);
  return writeMarkedComment(
    target,
    existing,
    composeSticky({ plan: parts.plan, status: renderStatusSection(entries) }),
  );
}
