// One line of the journal (docs/git-and-apply.md): written by src/reconcile/journal.ts, published to the journal
// branch by src/journal/, read by the audit.
import type { DeleteReason, Instant } from "./types.js";

/**
 * What every journal line carries, whatever its action: the hash chain (docs/git-and-apply.md, "The journal
 * branch") covers every line, so a new kind of entry (e.g. a notification) only needs a new `action` value.
 */
export interface JournalRecord {
  /** Stable id, given when the entry is first written to the local file; the branch never holds an id twice. */
  id?: string;
  time: Instant;
  action: string;
  /** Who wrote it: the command, host and pid (serve, apply, sweep), or the GitHub Actions repository. */
  writer?: string;
  /** The run that wrote it: a random id per process, or the GitHub Actions run URL. */
  run?: string;
  /** The hash of the entry before it on the journal branch (null for the first); set when published. */
  prev?: string | null;
  /** sha256 of this entry without its `hash` field (so with `prev`): set when published. */
  hash?: string;
}

/**
 * The outcome of a step as journaled. `adopted`: a create found the rule already made with the same content
 * (by another writer, or by an earlier attempt whose reply was lost), so this writer did not create it.
 */
export type JournalOutcome = "ok" | "failed" | "skipped" | "adopted";

/** One line of the journal: the outcome of one plan step. */
export interface JournalEntry extends JournalRecord {
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
  outcome: JournalOutcome;
  expiresAt: Instant | null;
  /** For deletions with reason "expired": seconds from the expiry to the deletion. */
  lagSeconds: number | null;
  error?: { code: string; message: string };
  /** Creates: who and what was granted, how it was approved (for audit). */
  users?: string[];
  /** Creates of a grant with groups: the directory group names (absent when the grant names none). */
  groups?: string[];
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
export interface NotificationEntry extends JournalRecord {
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

/** Any line of the journal: a step or a notification. */
export type JournalLine = JournalEntry | NotificationEntry;
