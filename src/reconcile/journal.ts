import { randomUUID } from "node:crypto";
import { appendFile, mkdir, open, readFile } from "node:fs/promises";
import { dirname, resolve, sep } from "node:path";
import { InvalidInputError } from "../core/model/grantops-error.js";
import type { JournalEntry, JournalLine, NotificationEntry } from "../core/model/journal-entry.js";

export interface Journal {
  record(entry: JournalLine): Promise<void>;
}

/** A journal kept in memory, for tests. */
export interface MemoryJournal extends Journal {
  readonly entries: JournalEntry[];
  /** Lines of the notify kind (serve's notifier). */
  readonly notifications: NotificationEntry[];
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
  const notifications: NotificationEntry[] = [];
  return {
    entries,
    notifications,
    record(entry) {
      if (entry.action === "notify") notifications.push(structuredClone(entry));
      else entries.push(structuredClone(entry));
      return Promise.resolve();
    },
  };
}

export interface ReadJournalOptions {
  /** Called for each line that is skipped (e.g. the torn last line of a crashed run). */
  onWarning?: (message: string) => void;
}

/**
 * Reads every step entry of a journal; a missing file is an empty journal; unreadable lines are skipped with a
 * warning; lines of other kinds (an `action` this reader does not know, such as "notify") are skipped silently.
 */
export async function readJournal(path: string, options: ReadJournalOptions = {}): Promise<JournalEntry[]> {
  return readLines(path, options, isJournalEntry);
}

/** Reads the notify lines of a journal (serve's notifier dedup across restarts); other lines are skipped. */
export async function readNotificationEntries(path: string): Promise<NotificationEntry[]> {
  return readLines(path, {}, isNotification);
}

async function readLines<T>(
  path: string,
  options: ReadJournalOptions,
  accept: (value: unknown) => value is T,
): Promise<T[]> {
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  const found: T[] = [];
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    const value = parseLine(line);
    if (accept(value)) found.push(value);
    else if (!isOtherKind(value))
      options.onWarning?.(`${path}:${index + 1}: skipped an unreadable journal line`);
  });
  return found;
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return null;
  }
}

/** A line of another kind than the steps (an `action` other than create/delete): not this reader's business. */
function isOtherKind(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const action = (value as Record<string, unknown>)["action"];
  return typeof action === "string" && action !== "create" && action !== "delete";
}

function isNotification(value: unknown): value is NotificationEntry {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    entry["action"] === "notify" && typeof entry["key"] === "string" && typeof entry["sink"] === "string"
  );
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
