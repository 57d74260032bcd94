// The vocabulary of `grantops audit`: access intervals (who had access to what, when, requested by whom,
// approved by whom, and why) and the facts the shell gathers to build them. Pure types, no I/O.
import type { DeleteReason, Instant } from "../model/types.js";
import type { JournalEntry } from "../model/journal-entry.js";

/** The journal lines the audit reads (lines from older writers may lack the commit and the lag). */
export type AuditJournalEntry = Omit<JournalEntry, "commit" | "lagSeconds"> &
  Partial<Pick<JournalEntry, "commit" | "lagSeconds">>;

/** One managed rule: the span during which one grant version's Access Policy rule existed. */
export interface AccessInterval {
  organization: string;
  grantId: string | null;
  ruleId: number | null;
  ruleName: string;
  /** Identity labels as the grant file wrote them (or as Secure Access names them, for rules outside the journal). */
  users: string[];
  /** Directory group names (empty when the grant named none). */
  groups: string[];
  resources: string[];
  /** When the rule was created; null when that happened before the journal began. */
  from: Instant | null;
  /** When the rule was deleted; null while it exists (or when its end was not recorded: see `live`). */
  until: Instant | null;
  endedBy: DeleteReason | null;
  expiresAt: Instant | null;
  /** The grant version's landing commit. */
  version: string | null;
  pr: number | null;
  /** How the version was approved: review, auto, break-glass, trust-git (null when unknown). */
  approval: string | null;
  /** GitHub logins whose reviews counted. */
  approvers: string[];
  /** Author of the commit that wrote this version of the grant file (from git), "Name <email>". */
  requester: string | null;
  /** Who put the version on the default branch: the merge commit's author, else the committer (from git). */
  mergedBy: string | null;
  /** The grant file's `reason` at the version commit (from git). */
  reason: string | null;
  ticket: string | null;
  breakGlass: boolean;
  /** true: the rule exists in Secure Access now; false: it was not found there; null: not checked (no --live). */
  live: boolean | null;
  /** Anomalies an auditor should know about (missing create, rule gone without a journal entry, tampering). */
  notes: string[];
}

/** What git says about one grant version (the grant file at the version commit, and its commits). */
export interface VersionFacts {
  reason: string | null;
  ticket: string | null;
  requester: string | null;
  mergedBy: string | null;
}

/** A rule grantops owns (managed or tampered, with a readable marker), as listed in Secure Access now. */
export interface LiveRule {
  organization: string;
  ruleId: number;
  ruleName: string;
  createdAt: Instant | null;
  grantId: string;
  expiresAt: Instant;
  pr: number | null;
  tampered: boolean;
  /** It only looks like grantops' (no proof grantops created it): reported, never written. */
  suspicious?: boolean;
  /** Identity labels, directory group labels and resource names of the rule's conditions, when fetched. */
  users: string[];
  groups: string[];
  resources: string[];
}

/** The filters of an audit query; times are epoch milliseconds, the window is inclusive. */
export interface AuditQuery {
  since: number | null;
  until: number | null;
  /** A user: the intervals naming it, and every group grant (marked with a note: membership is unknown). */
  user?: string;
  /** A directory group: the intervals naming it. */
  group?: string;
  resource?: string;
  grant?: string;
}
