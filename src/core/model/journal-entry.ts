// One line of the journal (design 4.6): written by src/reconcile/journal.ts, read by the audit.
import type { DeleteReason, Instant } from "./types.js";

/** One line of the journal: the outcome of one plan step (design 4.6). */
export interface JournalEntry {
  time: Instant;
  organization: string;
  grantId: string | null;
  /** The grant version's landing commit (creates); null when unknown (deletes). */
  version: string | null;
  /** The desired-state commit the plan was made at (null for sweep). */
  commit: string | null;
  /** The created rule's id, or the deleted rule's; null when a create failed. */
  ruleId: number | null;
  ruleName: string;
  action: "create" | "delete";
  /** Why a rule was deleted; null for creates. */
  reason: DeleteReason | null;
  outcome: "ok" | "failed" | "skipped";
  expiresAt: Instant | null;
  /** For deletions with reason "expired": seconds from the expiry to the deletion. */
  lagSeconds: number | null;
  error?: { code: string; message: string };
  /** Creates: who and what was granted, how it was approved (for audit). */
  users?: string[];
  resources?: string[];
  pr?: number | null;
  approval?: string;
  approvers?: string[];
  breakGlass?: boolean;
  /** Creates: who asked for it (the PR author when known). */
  requester?: string | null;
  /** Creates: the requester's reason, from the grant file. */
  why?: string;
}

/**
 * A journal line of another kind: a notification sent (or given up) by `serve`. Readers of steps (readJournal,
 * the audit) skip it; the notifier reads it back at startup so a message is sent once per grant version, also
 * across restarts.
 */
export interface NotificationEntry {
  time: Instant;
  action: "notify";
  organization: string;
  grantId: string | null;
  /** granted, expiring-soon, expired, revoked, break-glass, not-granted, attention. */
  event: string;
  /** The event's dedup key: the event and the grant version (rule name) it is about. */
  key: string;
  /** The receiver: "slack:ENV_NAME" or "webhook:ENV_NAME" (never its URL). */
  sink: string;
  outcome: "sent" | "failed";
  error?: { code: string; message: string };
}

/** Any line of the journal. */
export type JournalRecord = JournalEntry | NotificationEntry;
