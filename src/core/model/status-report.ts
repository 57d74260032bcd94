// The status report (`grantops status`, serve's GET /status.json and /status): who has access to what right now,
// what is pending, what expires soon, what looks wrong, and how the runs went. Versioned like the plan; its JSON
// Schema is schemas/status.schema.json.
import type { Instant, Plan } from "./types.js";

/** What the status knows about one grant version, from the grant file and its approval. */
export interface StatusGrantFacts {
  grantId: string;
  /** Path of the grant file in the repository. */
  file: string;
  /** The version's landing commit. */
  commit: string;
  users: string[];
  /** Directory group names (empty when the grant names none). */
  groups: string[];
  resources: string[];
  reason: string;
  pr: number | null;
  breakGlass: boolean;
  startsAt: Instant | null;
}

/** One organization's input: its plan and the facts of its grant versions (serve: after the run's writes). */
export interface StatusSource {
  plan: Plan;
  grants: StatusGrantFacts[];
  /** Grant ids whose create was applied successfully in this run (serve); in a read-only plan, none. */
  created: string[];
  /** Rule ids deleted successfully in this run (serve); in a read-only plan, none. */
  deleted: number[];
}

/** A grant with a rule in Secure Access (or, in a read-only plan, one the next run creates). */
export interface ActiveGrant {
  organization: string;
  grantId: string;
  /** "active": the rule exists; "to-create": the next run creates it; "held": its file is invalid, the rule stays. */
  state: "active" | "to-create" | "held";
  ruleName: string;
  users: string[];
  /**
   * Directory group names; present only when the grant names groups, so a report without group grants stays
   * readable by an older `grantops status --serve` (and an older serve's report lacks it).
   */
  groups?: string[];
  resources: string[];
  reason: string;
  expiresAt: Instant;
  /** Seconds from the report's time to the expiry (never negative). */
  secondsLeft: number;
  startsAt: Instant | null;
  breakGlass: boolean;
  pr: number | null;
  file: string | null;
  /** Links on GitHub when the repository is known (null otherwise). */
  fileUrl: string | null;
  prUrl: string | null;
}

/** A grant that has no rule yet, or whose newest version is not the one live. */
export interface PendingGrant {
  organization: string;
  grantId: string;
  /** "approval": waiting for approvals (detail says what is missing); "rejected": refused by the policy;
   *  "not-started": its startsAt is in the future; "held": a newer version is not approved or its file is invalid. */
  kind: "approval" | "rejected" | "not-started" | "held";
  detail: string;
  startsAt: Instant | null;
  expiresAt: Instant | null;
  pr: number | null;
  file: string | null;
  fileUrl: string | null;
  prUrl: string | null;
}

/** A rule that needs a human's attention: suspicious, unexplained, tampered, or deleted for a reason other than expiry. */
export interface AttentionItem {
  organization: string;
  kind: string;
  ruleId: number | null;
  ruleName: string | null;
  grantId: string | null;
  detail: string;
}

/** One reconcile run as serve saw it. */
export interface RunSummary {
  startedAt: Instant;
  finishedAt: Instant;
  /** success, failed_steps, refused or error. */
  outcome: string;
  reasons: string[];
  commit: string | null;
  created: number;
  deleted: number;
  failed: number;
}

/** A recent expiry and how late its rule was deleted. */
export interface ExpiryLag {
  organization: string;
  grantId: string | null;
  ruleName: string;
  expiresAt: Instant | null;
  deletedAt: Instant;
  lagSeconds: number;
}

export interface StatusHealth {
  ready: boolean;
  lastSuccessAt: Instant | null;
  vendorReachable: boolean;
}

export interface OrganizationStatus {
  organization: string;
  orgId: number;
  commit: string | null;
  /** When this organization was planned. */
  plannedAt: Instant;
  active: ActiveGrant[];
  pending: PendingGrant[];
  /** Grant ids of the active grants that expire within the report's window. */
  expiringSoon: string[];
  attention: AttentionItem[];
  counts: Plan["counts"];
}

export interface StatusReport {
  version: 1;
  at: Instant;
  /** "repository": planned from git and the live rules now; "serve": serve's last run. */
  source: "repository" | "serve";
  /** The "expiring soon" window, in seconds. */
  withinSeconds: number;
  /** owner/name on GitHub, when known (links). */
  repository: string | null;
  organizations: OrganizationStatus[];
  runs: {
    last: RunSummary | null;
    nextWakeAt: Instant | null;
    recent: RunSummary[];
    expiryLags: ExpiryLag[];
  };
  health: StatusHealth | null;
}
