// The journal branch as text → its entries in chain order, and the first place the hash chain breaks.
import { entryHash } from "./entry-hash.js";

/** One file of the journal branch, as read at a commit. */
export interface ChainFile {
  /** Path on the branch, e.g. journal/2026-03.jsonl. */
  path: string;
  text: string;
}

/** Where the chain breaks: `path:line` and why. */
export interface ChainBreak {
  path: string;
  line: number;
  message: string;
}

export interface ReadChain {
  /** Every readable line, in chain order (files in name order, lines in order), also those after a break. */
  entries: Array<Record<string, unknown>>;
  /** The first line where the chain is broken (edited, removed, reordered or inserted lines), or null. */
  broken: ChainBreak | null;
  /** The hash of the last line (the `prev` of the next entry to publish), or null for an empty journal. */
  lastHash: string | null;
  /** The newest file, or null when there is none. */
  lastPath: string | null;
}

/**
 * Reads the chain: each line must be a JSON object whose `hash` is its own hash (an edited line fails here) and
 * whose `prev` is the `hash` of the line before it across files (a removed, inserted or reordered line fails
 * here), the first line's `prev` being null.
 */
export function readChain(files: readonly ChainFile[]): ReadChain {
  const entries: Array<Record<string, unknown>> = [];
  let broken: ChainBreak | null = null;
  let lastHash: string | null = null;
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of sorted) {
    const lines = file.text.split("\n");
    if (lines.at(-1) === "") lines.pop();
    lines.forEach((line, index) => {
      const entry = parseObject(line);
      const problem = checkLine(entry, lastHash);
      if (problem !== null && broken === null)
        broken = { path: file.path, line: index + 1, message: problem };
      if (entry === null) return;
      entries.push(entry);
      lastHash = typeof entry["hash"] === "string" ? entry["hash"] : null;
    });
  }
  return { entries, broken, lastHash, lastPath: sorted.at(-1)?.path ?? null };
}

function checkLine(entry: Record<string, unknown> | null, expectedPrev: string | null): string | null {
  if (entry === null) return "not a JSON object";
  if (typeof entry["hash"] !== "string") return "no hash: not a published journal line";
  if (entry["hash"] !== entryHash(entry)) return "the line does not match its hash: it was edited";
  if ((entry["prev"] ?? null) !== expectedPrev) {
    return expectedPrev === null
      ? "prev should be null (the first line of the journal): lines before it were removed"
      : "prev is not the hash of the line before it: a line before it was removed, inserted or edited";
  }
  return null;
}

function parseObject(line: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
