// The shared vocabulary of grantops: what the loader produces, what the planner consumes and
// produces, and the interfaces the shell implements. Pure types, no I/O.
import type { GrantFile, GroupRef, ResourceRef, UserRef } from "./generated/grant-file.js";
import type { PolicyFile } from "./generated/policy-file.js";
import type { RuleInput, RuleSummary, RuleCondition, RuleSetting } from "./secure-access-types.js";

export type { GrantFile, GroupRef, PolicyFile, ResourceRef, UserRef };

/** An instant as RFC 3339 UTC with second precision, e.g. "2026-11-26T18:00:00Z". */
export type Instant = string;

/** One validation problem, positioned in the file it comes from (line and column are 1-based). */
export interface Problem {
  severity: "error" | "warning";
  /** Stable machine-readable code, e.g. "yaml-duplicate-key", "schema", "duration-over-cap". */
  code: string;
  /** Path relative to the repository root, with forward slashes: "grants/team/alice.yaml". */
  file: string;
  line: number;
  column: number;
  message: string;
}

/** A place in a source file (1-based line and column). */
export interface SourcePosition {
  line: number;
  column: number;
}

/** A grant file that passed validation, normalised. */
export interface Grant {
  /** Path under grants/ without the extension: "payments/alice-jira". */
  id: string;
  /** Path relative to the repository root: "grants/payments/alice-jira.yaml". */
  file: string;
  /** Directory users (empty when the grant names only groups). */
  users: UserRef[];
  /** Directory groups (empty when the grant names only users). */
  groups: GroupRef[];
  resources: ResourceRef[];
  /** Organization alias, resolved (the policy's only organization when the file names none). */
  organization: string;
  /** The requester's reason; null when the file gives none (allowed by `defaults.requireReason: false`). */
  reason: string | null;
  /** Duration in milliseconds when the file gives `duration`, else null. */
  durationMs: number | null;
  /** Absolute expiry when the file gives `expiresAt`, else null. */
  expiresAt: Instant | null;
  startsAt: Instant | null;
  ticket: string | null;
  breakGlass: boolean;
  /** Where each `users[i]`, `groups[i]` and `resources[i]` item sits in the file (recorded when it is loaded). */
  positions: { users: SourcePosition[]; groups: SourcePosition[]; resources: SourcePosition[] };
}

/** A version of a grant as it stands on the default branch: which commit landed it, and when. */
export interface GrantVersion {
  grant: Grant;
  /** The first-parent commit on the default branch that last changed the file. */
  commit: string;
  /** That commit's committer time. */
  landedAt: Instant;
  /** Git blob sha of the file at that commit. */
  blob: string;
}

/** A grant's user as found in Secure Access. */
export interface ResolvedUser {
  identityId: number;
  /** The identity's label in Secure Access (so a user written as {id} is recognised as a grantee). */
  label: string;
  /** For display: the label as written in the file, or the identity's label for {id}. */
  display: string;
}

/** A grant's directory group as found in Secure Access. */
export interface ResolvedGroup {
  identityId: number;
  /** The group's label in Secure Access. */
  label: string;
  /** For display: the name as written in the file, or the group's label for {id}. */
  display: string;
}

/** A grant's private resource as found in Secure Access. */
export interface ResolvedResource {
  resourceId: number;
  /** The resource's name in Secure Access (so policy rules by name also apply to a resource written as {id}). */
  name: string;
}

/** Why a user, group or resource of a grant could not be resolved. */
export type ResolveProblemCode =
  | "user-not-found"
  | "user-ambiguous"
  | "user-deleted"
  | "user-is-group"
  | "group-not-found"
  | "group-ambiguous"
  | "group-deleted"
  | "group-not-a-group"
  | "resource-not-found"
  | "resource-ambiguous";

/** A user, group or resource of a grant version that could not be resolved, positioned at its list item. */
export interface ResolveProblem {
  grantId: string;
  file: string;
  code: ResolveProblemCode;
  message: string;
  line: number;
  column: number;
}

/**
 * A grant version with its users, groups and resources looked up in Secure Access, item by item in file order (null
 * where the lookup failed: `problems` says why). A version with problems is held, never planned.
 */
export interface ResolvedVersion extends GrantVersion {
  resolvedUsers: Array<ResolvedUser | null>;
  resolvedGroups: Array<ResolvedGroup | null>;
  resolvedResources: Array<ResolvedResource | null>;
  problems: ResolveProblem[];
}

/** The outcome of approval verification for one grant version. */
export type Approval =
  | {
      status: "approved";
      mode: "review" | "auto" | "break-glass" | "trust-git";
      /** GitHub logins whose approvals counted (empty for auto, break-glass and trust-git). */
      approvers: string[];
      pr: number | null;
      /** Who opened the PR (the requester), when known. */
      requester: string | null;
    }
  | { status: "unverified" | "rejected"; reason: string; pr: number | null; requester: string | null };

/**
 * Decides whether a grant version was approved under the policy, once its users and resources are resolved.
 * Implemented in src/git (trust-git) and src/github.
 */
export interface ApprovalVerifier {
  verify(version: ResolvedVersion, policy: PolicyFile): Promise<Approval>;
}

/** A live grant version, resolved to Secure Access ids: the planner's input for one grant. */
export interface DesiredGrant {
  grantId: string;
  organization: string;
  /** Secure Access identity ids of the users, sorted ascending, unique. */
  identityIds: number[];
  /**
   * Secure Access identity ids of the directory groups, sorted ascending, unique (empty for a grant without
   * groups). The rule's identity condition is the union of both lists (docs/plan-and-safety.md).
   */
  groupIds: number[];
  /** Secure Access private resource ids, sorted ascending, unique. */
  resourceIds: number[];
  startsAt: Instant | null;
  expiresAt: Instant;
  commit: string;
  approval: Approval;
  /** For display: user labels, group names and resource names as written in the file. */
  users: string[];
  groups: string[];
  resources: string[];
  reason: string | null;
  breakGlass: boolean;
}

/** A grant whose file is currently invalid or unreadable: its managed rule is kept until the expiry in its marker. */
export interface HeldGrant {
  grantId: string;
  reason: string;
}

/** A rule as listed (summary), with conditions and settings when the shell fetched the full rule. */
export type ActualRule = RuleSummary & { ruleConditions?: RuleCondition[]; ruleSettings?: RuleSetting[] };

export interface PlanInput {
  organization: string;
  orgId: number;
  /** Commit of the default branch the desired state was read at (null for sweep). */
  commit: string | null;
  desired: DesiredGrant[];
  held: HeldGrant[];
  actual: ActualRule[];
  /** What proves which rules are grantops' own (see docs/plan-and-safety.md); none when omitted. */
  evidence?: OwnershipEvidence;
}

/**
 * Ownership evidence the shell gathers for the planner: the verification cache, grantops' record of the rules it
 * created, and what git history shows for the grants of rules that need it.
 */
export interface OwnershipEvidence {
  /** Rules whose full conditions an earlier run saw hash to their marker's sha, with nothing listed changed since. */
  verified: readonly number[];
  /** Rule ids grantops' own record (state file, or the journal when it is missing) says it created. */
  created: readonly number[];
  /** By marker grant key; only the grants the shell read history for. */
  history: readonly GrantHistory[];
}

/** What the default branch's first-parent history shows for one grant file. */
export interface GrantHistory {
  /** The grant id as markers record it. */
  grant: string;
  /** The file existed at some commit of the history. */
  known: boolean;
  /** Its versions that were valid and approved, newest first. */
  versions: HistoryVersion[];
}

export interface HistoryVersion {
  commit: string;
  /** The expiry that version really had (from its landing time). */
  exp: Instant;
  /** The sha of the rule it implied; null when its users or resources can no longer be resolved. */
  sha: string | null;
  /** Why the policy as it stands now forbids this version, or null. */
  refusedNow: string | null;
}

export interface PlanOptions {
  /** Rule name prefix, default "grantops-". */
  rulePrefix: string;
}

export type DeleteReason = "expired" | "removed" | "replaced" | "tampered" | "unexplained";

export interface CreateStep {
  kind: "create";
  grantId: string;
  commit: string;
  pr: number | null;
  expiresAt: Instant;
  rule: RuleInput;
  users: string[];
  /** Directory group names (empty when the grant names none). */
  groups: string[];
  resources: string[];
  /** The requester's reason, from the grant file. */
  reason: string | null;
  breakGlass: boolean;
  approval: Approval;
}

export interface DeleteStep {
  kind: "delete";
  ruleId: number;
  ruleName: string;
  /** The grant the rule belonged to, from its marker (null when the marker cannot be read). */
  grantId: string | null;
  reason: DeleteReason;
  /** The expiry in the rule's marker, when readable. */
  expiresAt: Instant | null;
}

export type PlanStep = CreateStep | DeleteStep;

export interface KeptRule {
  ruleId: number;
  ruleName: string;
  grantId: string;
  expiresAt: Instant;
}

export interface Plan {
  version: 1;
  organization: string;
  orgId: number;
  at: Instant;
  commit: string | null;
  steps: PlanStep[];
  /** Managed rules that stay as they are. */
  kept: KeptRule[];
  /** Live grants whose start is in the future: no rule yet. */
  pending: Array<{ grantId: string; startsAt: Instant; expiresAt: Instant }>;
  /** Grants that are not created because their approval could not be verified or was rejected. */
  unapproved: Array<{
    grantId: string;
    status: "unverified" | "rejected";
    reason: string;
    pr: number | null;
  }>;
  /** Rules kept only because their grant file is currently invalid (until the expiry in their marker). */
  held: Array<{ grantId: string; ruleId: number; ruleName: string; expiresAt: Instant; reason: string }>;
  /** Rules that only look like grantops' (prefix or marker-like text) with no proof it created them: never written. */
  suspicious: Array<{ ruleId: number; ruleName: string; grantId: string | null; reason: string }>;
  /** Intact-looking rules whose conditions were not seen yet (verification budget): neither kept nor deleted. */
  unverified: Array<{ ruleId: number; ruleName: string; grantId: string; expiresAt: Instant }>;
  counts: {
    managed: number;
    tampered: number;
    unexplained: number;
    unverified: number;
    suspicious: number;
    foreign: number;
  };
  warnings: string[];
  /** Earliest future expiry or start among the plan's grants and rules; null when there is none. */
  nextWakeAt: Instant | null;
}

export interface PlanLimits {
  /** Refuse plans deleting more than this many rules for reasons other than expiry (default 25). */
  maxDeletes: number;
  allowMassDelete: boolean;
  allowEmpty: boolean;
}

export type PlanCheck = { ok: true } | { ok: false; code: "mass-delete" | "empty-desired"; message: string };
