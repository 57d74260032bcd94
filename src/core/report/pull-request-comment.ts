// The PR comment's model: what a pull request does to each grant file it adds, changes or removes, and a
// summary of the rest of the organization. Built by src/pull-request, rendered by format-pull-request-comment.ts
// (Markdown) or as JSON (`grantops pr-report --format json`).
import type { LiveApproval } from "../model/live-approval.js";
import type { Instant, Problem } from "../model/types.js";
import type { ApprovalRequirement } from "../validate/policy-rules.js";

export type GrantChange = "added" | "changed" | "removed";

/** A rule the PR will create when merged. */
export interface RuleToCreate {
  /** Null for a grant that starts later: its rule is created at the start. */
  ruleName: string | null;
  users: string[];
  groups: string[];
  resources: string[];
  /** Present when the grant starts later (the window); else the rule exists from the merge. */
  startsAt: Instant | null;
  /** The expiry if the PR were merged now. */
  expiresAt: Instant;
  /** The grant's own `duration` (counted from the merge), or null for an `expiresAt` grant. */
  durationMs: number | null;
}

/** A rule the PR will delete when merged (its grant was removed, or changed: replaced by the new rule). */
export interface RuleToDelete {
  ruleName: string;
  ruleId: number;
  reason: string;
}

/** How the grant's approval stands. */
export type ApprovalStatus =
  /** Judged live on GitHub as if merged now (same rules and counting as at apply time). */
  | { kind: "live"; live: LiveApproval; breakGlass: boolean }
  /** GitHub not configured: what the policy requires, not checked. */
  | {
      kind: "policy";
      requirements: ApprovalRequirement[];
      autoApprove: { maxDurationMs: number; requesters: string[] } | null;
      breakGlass: boolean;
      /** Why the status is not shown (default "not checked: GitHub is not configured"). */
      note?: string;
    }
  /** Removing a grant needs no approval: its rule is deleted on merge. */
  | { kind: "none" };

export interface GrantSection {
  grantId: string;
  file: string;
  change: GrantChange;
  creates: RuleToCreate[];
  deletes: RuleToDelete[];
  /** The requester's reason (null: none given); null also when the file is removed or invalid. */
  reason: string | null;
  /** False when the file is invalid (no rule can be planned for it). */
  valid: boolean;
  /** Null for an invalid file (nothing to approve yet). */
  approval: ApprovalStatus | null;
  problems: Problem[];
}

/** The rest of the organization(s), for the collapsed summary. */
export interface OtherState {
  create: number;
  delete: number;
  kept: number;
  notGranted: number;
  pending: number;
  held: number;
}

export interface PullRequestComment {
  pullNumber: number;
  /** One line on how the PR was planned (preview merge, or at its head on conflicts). */
  basis: string;
  sections: GrantSection[];
  /** Problems of changed files that are not grant files (the policy, a stray file). */
  otherProblems: Problem[];
  /** Why there is no plan, or null. */
  planError: string | null;
  /** A guard that would refuse the plan after merge, per organization. */
  refusals: string[];
  others: OtherState;
  /** Teams and logins whose review the grants need (asked as reviewers). */
  reviewers: string[];
}
