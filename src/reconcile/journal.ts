import { randomUUID } from "node:crypto";
import { appendFile, mkdir, open, readFile } from "node:fs/promises";
import { dirname, resolve, sep } from "node:path";
import { InvalidInputError } from "../core/model/grantops-error.js";
import type { JournalEntry } from "../core/model/journal-entry.js";

export interface Journal {
  record(entry: JournalEntry): Promise<void>;
}

/** A journal kept in memory, for tests. */
export interface MemoryJournal extends Journal {
  readonly entries: JournalEntry[];
}

/** Refuses a journal path with a `grants` directory in it: the journal must never land among the grant files. */
export function assertJournalPath(path: string): string {
  const absolute = resolve(path);
  if (absolute.split(sep).slice(0, -1).includes("grants")) {
    throw new InvalidInputError(
      "journal-path",
      `the journal must not be written inside a grants/ directory: ${path}`,
    );
  }
  return absolute;
}

/** Stamped on every entry a journal writes: who writes and in which run (src/journal/journal-writer.ts). */
export interface JournalStamp {
  writer?: string;
  run?: string;
  /** The stable id of a new entry (default: a random UUID). */
  newId?: () => string;
}

/**
 * A journal of JSON lines appended to `path` (the parent directory is created). One appendFile per entry; if a
 * crash left a torn last line, a newline is added first so the next entry starts on its own line. Each entry gets
 * a stable `id` (and the writer and run) before it is written: the file is the write-ahead log of the journal
 * branch (src/journal/publish-journal.ts), which never holds one id twice.
 */
export function createJournal(path: string, stamp: JournalStamp = {}): Journal {
  const file = assertJournalPath(path);
  const newId = stamp.newId ?? randomUUID;
  let ready: Promise<void> | null = null;
  return {
    async record(entry) {
      ready ??= prepare(file);
      await ready;
      const stamped = {
        id: entry.id ?? newId(),
        ...entry,
        ...(stamp.writer === undefined ? {} : { writer: stamp.writer }),
        ...(stamp.run === undefined ? {} : { run: stamp.run }),
      };
      await appendFile(file, `${JSON.stringify(stamped)}\n`, "utf8");
    },
  };
}

async function prepare(file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  if (!(await endsTorn(file))) return;
  await appendFile(file, "\n", "utf8");
}

async function endsTorn(file: string): Promise<boolean> {
  const handle = await open(file, "r").catch(() => null);
  if (handle === null) return false;
  try {
    const { size } = await handle.stat();
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    await handle.close();
  }
}

export function createMemoryJournal(): MemoryJournal {
  const entries: JournalEntry[] = [];
  return {
    entries,
    record(entry) {
      entries.push(structuredClone(entry));
      return Promise.resolve();
    },
  };
}

export interface ReadJournalOptions {
  /** Called for each line that is skipped (e.g. the torn last line of a crashed run). */
  onWarning?: (message: string) => void;
}

/** Reads every entry of a journal; a missing file is an empty journal; unreadable lines are skipped with a warning. */
export async function readJournal(path: string, options: ReadJournalOptions = {}): Promise<JournalEntry[]> {
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  const entries: JournalEntry[] = [];
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    const entry = parseLine(line);
    if (entry === null) options.onWarning?.(`${path}:${index + 1}: skipped an unreadable journal line`);
    else entries.push(entry);
  });
  return entries;
}

function parseLine(line: string): JournalEntry | null {
  try {
    const value: unknown = JSON.parse(line);
    return isJournalEntry(value) ? value : null;
  } catch {
    return null;
  }
}

/** A create or delete line (lines of other actions, e.g. notifications, are not steps). */
export function isJournalEntry(value: unknown): value is JournalEntry {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry["time"] === "string" &&
    (entry["action"] === "create" || entry["action"] === "delete") &&
    typeof entry["outcome"] === "string"
  );
}
