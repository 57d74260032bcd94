// Journal → access intervals: each successful create opens an interval for its rule, the successful delete of
// the same rule (same organization and rule id, else rule name) closes it. Failed and skipped steps never
// granted or revoked anything and are ignored; an `adopted` create (the rule was already made by another writer)
// opens an interval only when the journal has no create of that rule. Entries of other actions are ignored.
import { compareText } from "../model/compare-text.js";
import { parseInstant } from "../time/instant.js";
import type { AccessInterval, AuditJournalEntry } from "./audit-types.js";

export const NOTE_NO_CREATE = "created before the journal begins: no create recorded";
export const NOTE_ADOPTED =
  "its create is not in the journal: first recorded when another writer found it already made (adopted)";
export const NOTE_DUPLICATE_CREATE = "created again while it existed (another replica or a retried create)";
export const NOTE_TAMPERED =
  "edited outside grantops before it was deleted: who and what it allowed may have differed";

/** Builds one interval per rule from the journal, in the journal's time order. Deterministically sorted. */
export function buildIntervals(entries: readonly AuditJournalEntry[]): AccessInterval[] {
  const open = new Map<string, AccessInterval>();
  const closed = new Set<string>();
  const done: AccessInterval[] = [];
  for (const entry of inTimeOrder(entries)) {
    if (entry.action === "create" && (entry.outcome === "ok" || entry.outcome === "adopted")) {
      openInterval(open, entry);
    } else if (entry.action === "delete" && entry.outcome === "ok") {
      // Two writers deleting one rule (the second finds it gone, which is ok): the interval ended at the first.
      if (isDeletedAgain(open, closed, entry)) continue;
      const interval = closeInterval(open, entry);
      for (const key of keysOf(interval)) closed.add(key);
      done.push(interval);
    }
  }
  const remaining = new Set(open.values());
  return sortIntervals([...done, ...remaining]);
}

function inTimeOrder(entries: readonly AuditJournalEntry[]): AuditJournalEntry[] {
  return entries
    .map((entry, index) => ({ entry, index, ms: parseInstant(entry.time) ?? 0 }))
    .sort((a, b) => a.ms - b.ms || a.index - b.index)
    .map(({ entry }) => entry);
}

function keysOf(entry: { organization: string; ruleId: number | null; ruleName: string }): string[] {
  const byName = `${entry.organization}\0name\0${entry.ruleName}`;
  return entry.ruleId === null ? [byName] : [`${entry.organization}\0id\0${entry.ruleId}`, byName];
}

function isDeletedAgain(
  open: Map<string, AccessInterval>,
  closed: Set<string>,
  entry: AuditJournalEntry,
): boolean {
  const keys = keysOf(entry);
  return !keys.some((key) => open.has(key)) && keys.some((key) => closed.has(key));
}

function openInterval(open: Map<string, AccessInterval>, entry: AuditJournalEntry): void {
  const keys = keysOf(entry);
  const existing = keys.map((key) => open.get(key)).find((interval) => interval !== undefined);
  if (existing !== undefined) {
    if (entry.outcome === "ok" && existing.notes.includes(NOTE_ADOPTED)) {
      // The creator's own record came after another writer had adopted the rule (their steps finished in that
      // order): the creator's entry is the create, and the adoption is not a gap in the journal.
      const notes = existing.notes.filter((note) => note !== NOTE_ADOPTED);
      Object.assign(existing, fromCreate(entry), { notes });
      return;
    }
    if (entry.outcome === "adopted" || existing.notes.includes(NOTE_DUPLICATE_CREATE)) return;
    existing.notes.push(NOTE_DUPLICATE_CREATE);
    return;
  }
  const interval = fromCreate(entry);
  if (entry.outcome === "adopted") interval.notes.push(NOTE_ADOPTED);
  for (const key of keys) open.set(key, interval);
}

function closeInterval(open: Map<string, AccessInterval>, entry: AuditJournalEntry): AccessInterval {
  const keys = keysOf(entry);
  const found = keys.map((key) => open.get(key)).find((interval) => interval !== undefined);
  const interval = found ?? orphan(entry);
  if (found !== undefined) for (const key of keysOf(found)) open.delete(key);
  interval.until = entry.time;
  interval.endedBy = entry.reason;
  interval.ruleId ??= entry.ruleId;
  interval.grantId ??= entry.grantId;
  if (entry.reason === "tampered") interval.notes.push(NOTE_TAMPERED);
  return interval;
}

function fromCreate(entry: AuditJournalEntry): AccessInterval {
  return {
    ...blank(entry),
    from: entry.time,
    version: entry.version,
    users: [...(entry.users ?? [])],
    groups: [...(entry.groups ?? [])],
    resources: [...(entry.resources ?? [])],
    pr: entry.pr ?? null,
    approval: entry.approval ?? null,
    approvers: [...(entry.approvers ?? [])],
    breakGlass: entry.breakGlass === true,
    requester: entry.requester ?? null,
    reason: entry.why ?? null,
  };
}

function orphan(entry: AuditJournalEntry): AccessInterval {
  return { ...blank(entry), notes: [NOTE_NO_CREATE] };
}

/** An interval with only what every journal line carries. */
export function blank(entry: {
  organization: string;
  grantId: string | null;
  ruleId: number | null;
  ruleName: string;
  expiresAt: string | null;
}): AccessInterval {
  return {
    organization: entry.organization,
    grantId: entry.grantId,
    ruleId: entry.ruleId,
    ruleName: entry.ruleName,
    users: [],
    groups: [],
    resources: [],
    from: null,
    until: null,
    endedBy: null,
    expiresAt: entry.expiresAt,
    version: null,
    pr: null,
    approval: null,
    approvers: [],
    requester: null,
    mergedBy: null,
    reason: null,
    ticket: null,
    breakGlass: false,
    live: null,
    notes: [],
  };
}

/** Sorted by start (unknown starts first), then grant id, organization, rule id and rule name. */
export function sortIntervals(intervals: AccessInterval[]): AccessInterval[] {
  return [...intervals].sort(
    (a, b) =>
      compareStart(a.from, b.from) ||
      compareText(a.grantId ?? "\uffff", b.grantId ?? "\uffff") ||
      compareText(a.organization, b.organization) ||
      (a.ruleId ?? -1) - (b.ruleId ?? -1) ||
      compareText(a.ruleName, b.ruleName) ||
      compareText(a.until ?? "\uffff", b.until ?? "\uffff"),
  );
}

function compareStart(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return (parseInstant(a) ?? 0) - (parseInstant(b) ?? 0);
}
