// The landing-times cache (a file in the state directory, beside the verification state): for each repository
// and branch, the landing of every grant file as of one commit, so the next read only walks the commits since
// (docs/git-and-apply.md, "Landing time"). A cache only: a missing, unreadable or foreign file costs one walk of
// the history, never correctness. Written atomically (temp file + rename).
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { PathLanding } from "../core/history/last-changes.js";
import type { LandingCache, LandingSnapshot } from "../git/landing-times.js";
import { writeFileAtomically } from "./write-file-atomically.js";

export const LANDING_CACHE_FILE_NAME = "landing-times.json";

const KIND = "grantops-landing-times";
/** Entries kept (one per repository and branch read), most recently written first. */
const MAX_ENTRIES = 8;

interface Entry {
  repository: string;
  branch: string;
  commit: string;
  /** The landing commits: [sha, committer time in Unix seconds]. */
  commits: Array<[string, number]>;
  /** Path → index in `commits`. */
  paths: Record<string, number>;
}

interface CacheFile {
  version: 1;
  kind: typeof KIND;
  entries: Entry[];
}

/** The cache file's default path: `landing-times.json` beside the verification state file. */
export function landingCachePathFor(statePath: string): string {
  return join(dirname(statePath), LANDING_CACHE_FILE_NAME);
}

/**
 * The cache in the file at `path`. `readOnly` (grantops plan, which writes nothing) reads it and never writes.
 * A file that is not a version-1 landing cache, or whose entry for the repository does not check out (commit
 * names, times, indexes), is ignored with a warning: the history is walked again.
 */
export function createLandingCache(
  path: string,
  options: { onWarning: (message: string) => void; readOnly?: boolean },
): LandingCache {
  const warn = options.onWarning;
  return {
    warn,
    async read(repository, branch) {
      const file = await readCacheFile(path, warn);
      const entry = file?.entries.find((e) => e.repository === repository && e.branch === branch);
      if (entry === undefined) return null;
      const snapshot = snapshotOf(entry);
      if (snapshot === null) warn(`${path}: the entry of ${repository} (${branch}) is invalid; ignored`);
      return snapshot;
    },
    async write(repository, branch, snapshot) {
      if (options.readOnly === true) return;
      const file = (await readCacheFile(path, () => undefined)) ?? { version: 1, kind: KIND, entries: [] };
      const others = file.entries.filter((e) => e.repository !== repository || e.branch !== branch);
      const entries = [entryOf(repository, branch, snapshot), ...others].slice(0, MAX_ENTRIES);
      try {
        await mkdir(dirname(path), { recursive: true });
        await writeFileAtomically(path, `${JSON.stringify({ version: 1, kind: KIND, entries })}\n`);
      } catch (error) {
        warn(`${path}: could not write the landing-times cache: ${(error as Error).message}`);
      }
    },
  };
}

async function readCacheFile(path: string, warn: (message: string) => void): Promise<CacheFile | null> {
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") warn(`${path}: ${error.message}; walking the history again`);
    return null;
  });
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<CacheFile> | null;
    if (value?.version === 1 && value.kind === KIND && Array.isArray(value.entries)) {
      return { version: 1, kind: KIND, entries: value.entries.filter(isEntryShaped) };
    }
  } catch {
    // fall through
  }
  warn(`${path}: not a version-1 grantops landing-times cache; ignored, walking the history again`);
  return null;
}

function isEntryShaped(value: unknown): value is Entry {
  const entry = value as Partial<Entry> | null;
  return (
    typeof entry === "object" &&
    entry !== null &&
    typeof entry.repository === "string" &&
    typeof entry.branch === "string" &&
    typeof entry.commit === "string" &&
    Array.isArray(entry.commits) &&
    typeof entry.paths === "object" &&
    entry.paths !== null
  );
}

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** The entry as a snapshot, or null when any part of it is not what grantops writes. */
function snapshotOf(entry: Entry): LandingSnapshot | null {
  if (!SHA.test(entry.commit)) return null;
  const commits: PathLanding[] = [];
  for (const item of entry.commits) {
    if (!Array.isArray(item) || typeof item[0] !== "string" || !SHA.test(item[0])) return null;
    if (!Number.isSafeInteger(item[1])) return null;
    commits.push({ commit: item[0], seconds: item[1] });
  }
  const landings = new Map<string, PathLanding>();
  for (const [file, index] of Object.entries(entry.paths)) {
    const landing = Number.isInteger(index) ? commits[index] : undefined;
    if (landing === undefined) return null;
    landings.set(file, landing);
  }
  return { commit: entry.commit, landings };
}

function entryOf(repository: string, branch: string, snapshot: LandingSnapshot): Entry {
  const indexes = new Map<string, number>();
  const commits: Array<[string, number]> = [];
  const paths: Record<string, number> = {};
  for (const [file, landing] of [...snapshot.landings].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    let index = indexes.get(landing.commit);
    if (index === undefined) {
      index = commits.push([landing.commit, landing.seconds]) - 1;
      indexes.set(landing.commit, index);
    }
    paths[file] = index;
  }
  return { repository, branch, commit: snapshot.commit, commits, paths };
}
