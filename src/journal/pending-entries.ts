// The local journal file is the write-ahead log of the journal branch: every entry is appended there first;
// `<file>.published` records how far (in bytes) the file has been published. Entries after that point are
// pending; an entry published by a run that died before it could move the mark is found on the branch by its id
// and not appended again.
import { createHash } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import type { PendingEntry } from "../core/journal/chain-pending.js";

export interface PendingEntries {
  entries: PendingEntry[];
  /** The byte offset just after the last complete line read: the mark once these entries are published. */
  end: number;
  /** Unreadable lines skipped (e.g. a torn line), as `file:line`. */
  skipped: string[];
}

/** Path of the file holding the published mark of a local journal. */
export function publishedMarkPath(journalPath: string): string {
  return `${journalPath}.published`;
}

/** The entries of the local journal after its published mark (none when the file does not exist). */
export async function readPendingEntries(journalPath: string): Promise<PendingEntries> {
  const start = await readPublishedMark(journalPath);
  const bytes = await readFile(journalPath).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return Buffer.alloc(0);
    throw error;
  });
  const end = bytes.lastIndexOf(0x0a) + 1;
  const entries: PendingEntry[] = [];
  const skipped: string[] = [];
  let offset = Math.min(start, end);
  const firstLine = bytes.subarray(0, offset).toString("utf8").split("\n").length;
  bytes
    .subarray(offset, end)
    .toString("utf8")
    .split("\n")
    .forEach((line, index) => {
      const at = offset;
      offset += Buffer.byteLength(line, "utf8") + 1;
      if (line.trim() === "") return;
      const entry = parseEntry(line, at);
      if (entry === null) skipped.push(`${journalPath}:${firstLine + index}`);
      else entries.push(entry);
    });
  return { entries, end, skipped };
}

/** Moves the published mark (written to a temporary file, then renamed: never half-written). */
export async function writePublishedMark(journalPath: string, end: number): Promise<void> {
  const path = publishedMarkPath(journalPath);
  await writeFile(`${path}.tmp`, `${JSON.stringify({ offset: end })}\n`, "utf8");
  await rename(`${path}.tmp`, path);
}

async function readPublishedMark(journalPath: string): Promise<number> {
  const text = await readFile(publishedMarkPath(journalPath), "utf8").catch(() => "");
  try {
    const offset: unknown = (JSON.parse(text) as { offset?: unknown }).offset;
    return typeof offset === "number" && Number.isSafeInteger(offset) && offset >= 0 ? offset : 0;
  } catch {
    return 0;
  }
}

/**
 * A line as a pending entry. A line written before entries had ids gets one derived from its text and its place
 * in the file, which the append-only file keeps stable from run to run.
 */
function parseEntry(line: string, offset: number): PendingEntry | null {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
    const entry = value as Record<string, unknown>;
    if (typeof entry["time"] !== "string" || typeof entry["action"] !== "string") return null;
    const id =
      typeof entry["id"] === "string"
        ? entry["id"]
        : `local-${createHash("sha256").update(`${offset}\n${line}`).digest("hex").slice(0, 32)}`;
    return { ...entry, id, time: entry["time"] };
  } catch {
    return null;
  }
}
