// One line of the journal (docs/git-and-apply.md, "The journal"): written by src/reconcile/journal.ts, read by the audit.
import type { DeleteReason, Instant } from "./types.js";

/** One line of the journal: the outcome of one plan step (docs/git-and-apply.md). */
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
