import type { Journal } from "../../reconcile/journal.js";
import type { JournalEntry } from "../../core/model/journal-entry.js";

export interface JournalTap {
  /** Writes through to the journal and keeps a copy of each entry. */
  journal: Journal;
  /** The entries of this run, in the order they were recorded. */
  entries: JournalEntry[];
}

/**
 * A journal that records every entry of one run before passing it on: the applied steps with their times and
 * expiry lags (ms precision), for metrics and pull request status updates.
 */
export function tapJournal(journal: Journal): JournalTap {
  const entries: JournalEntry[] = [];
  return {
    entries,
    journal: {
      record(entry) {
        entries.push(entry);
        return journal.record(entry);
      },
    },
  };
}
