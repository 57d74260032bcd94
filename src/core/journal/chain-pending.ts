// Pending journal entries (from a writer's local file) → the lines to append to the journal branch.
import { entryHash } from "./entry-hash.js";
import { journalFileOf } from "./journal-file-of.js";
import type { ReadChain } from "./read-chain.js";

/** A pending entry: any journal record with its stable id (see JournalRecord). */
export type PendingEntry = Readonly<Record<string, unknown>> & { id: string; time: string };

export interface ChainedLines {
  /** Lines to append, by file (each line without its newline), in publish order. */
  appends: Map<string, string[]>;
  /** Entries appended. */
  count: number;
  /** Pending entries skipped because their id is already on the branch. */
  alreadyThere: number;
  /** Successful creates rewritten as `adopted` (their rule already had a successful create on the branch). */
  adopted: number;
}

/**
 * Chains the pending entries onto the branch: an entry whose id is already there is skipped (publishing never
 * duplicates); a successful create of a rule (organization + rule id) that already has a successful create on the
 * branch, or earlier in this batch, is rewritten as `adopted` before it is chained (one truth for many writers);
 * every other entry keeps its content, gets `prev` (the hash of the line before it) and its own `hash`, and goes to
 * the file `journalFileOf` names. The order of `pending` is kept.
 */
export function chainPending(branch: ReadChain, pending: readonly PendingEntry[]): ChainedLines {
  const ids = new Set(branch.entries.map((entry) => entry["id"]));
  const created = new Set(branch.entries.flatMap((entry) => createKeyOf(entry) ?? []));
  const appends = new Map<string, string[]>();
  let prev = branch.lastHash;
  let last = branch.lastPath;
  let count = 0;
  let alreadyThere = 0;
  let adopted = 0;
  for (const entry of pending) {
    if (ids.has(entry.id)) {
      alreadyThere++;
      continue;
    }
    ids.add(entry.id);
    const key = createKeyOf(entry);
    const rewrite = key !== null && created.has(key);
    if (rewrite) adopted++;
    if (key !== null) created.add(key);
    const { prev: _oldPrev, hash: _oldHash, ...content } = entry;
    const unsigned = { ...content, ...(rewrite ? { outcome: "adopted" } : {}), prev };
    const hash = entryHash(unsigned);
    const file = journalFileOf(entry.time, last);
    const lines = appends.get(file) ?? [];
    lines.push(JSON.stringify({ ...unsigned, hash }));
    appends.set(file, lines);
    prev = hash;
    last = file;
    count++;
  }
  return { appends, count, alreadyThere, adopted };
}

/** "organization\0ruleId" of a successful create with a rule id, else null. */
function createKeyOf(entry: Readonly<Record<string, unknown>>): string | null {
  if (entry["action"] !== "create" || entry["outcome"] !== "ok" || typeof entry["ruleId"] !== "number") {
    return null;
  }
  return `${String(entry["organization"])}\0${entry["ruleId"]}`;
}
