// Where `grantops audit` reads the journal: a file (--journal), else the journal branch of the grants repository
// (--repo, default the current directory), else, when that repository has no journal branch, the local file.
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { readChain, type ChainBreak } from "../core/journal/read-chain.js";
import { InvalidInputError } from "../core/model/grantops-error.js";
import { createGit } from "../git/git-env.js";
import { openCacheClone } from "../git/open-repository.js";
import { isRemoteUrl, redactUrl } from "../git/redact-url.js";
import { fetchJournalBranch } from "../journal/fetch-journal-branch.js";
import { readJournalFiles } from "../journal/read-journal-files.js";
import { isJournalEntry } from "../reconcile/journal.js";
import type { JournalEntry } from "../core/model/journal-entry.js";

export type AuditJournalSource =
  | { kind: "file"; path: string }
  | { kind: "branch"; repo: string; branch: string; cacheDir: string; cwd: string; fallbackPath: string };

export interface AuditJournal {
  /** The create and delete entries, in journal order. */
  entries: JournalEntry[];
  /** What was read: `branch grantops-journal of <repo> at <sha>`, or the file's path. */
  description: string;
  /** true: the hash chain was checked (the branch, or --verify on a file). */
  chained: boolean;
  /** The first break of the chain (only when chained). */
  broken: ChainBreak | null;
  /** Lines read. */
  lines: number;
  /** false: neither the branch nor the file exists. */
  found: boolean;
}

export async function readAuditJournal(
  source: AuditJournalSource,
  options: { verify: boolean; warn: (message: string) => void },
): Promise<AuditJournal> {
  if (source.kind === "branch") {
    const branch = await readBranch(source);
    if (branch !== null) return branch;
    const fallback = await readFileJournal(source.fallbackPath, options);
    if (fallback.found) {
      options.warn(
        `no ${source.branch} branch in ${redactUrl(source.repo)}: reading the local journal ${source.fallbackPath}`,
      );
    }
    return fallback;
  }
  return readFileJournal(source.path, options);
}

async function readBranch(
  source: Extract<AuditJournalSource, { kind: "branch" }>,
): Promise<AuditJournal | null> {
  const located = await locateBranch(source);
  if (located === null) return null;
  const files = await readJournalFiles(located.dir, located.commit);
  const chain = readChain(files);
  return {
    entries: chain.entries.flatMap((entry) => (isJournalEntry(entry) ? [entry] : [])),
    description: `branch ${source.branch} of ${redactUrl(source.repo)} at ${located.commit.slice(0, 12)}`,
    chained: true,
    broken: chain.broken,
    lines: chain.entries.length,
    found: true,
  };
}

/**
 * The directory and commit of the journal branch: a URL through its bare cache clone (fetched); a local
 * repository through its `origin` remote when that has the branch (fetched), else its own branch (the repository
 * writers push to); null when there is none.
 */
async function locateBranch(
  source: Extract<AuditJournalSource, { kind: "branch" }>,
): Promise<{ dir: string; commit: string } | null> {
  const trackingRef = `refs/remotes/origin/${source.branch}`;
  if (isRemoteUrl(source.repo)) {
    const dir = await openCacheClone(source.repo, source.cacheDir);
    const commit = await fetchJournalBranch({ dir, remote: source.repo, branch: source.branch, trackingRef });
    return commit === null ? null : { dir, commit };
  }
  const dir = resolve(source.cwd, source.repo);
  if (!(await isRepository(dir))) return null;
  const origin = await createGit(dir)
    .raw(["config", "--get", "remote.origin.url"])
    .catch(() => "");
  if (origin.trim() !== "") {
    const commit = await fetchJournalBranch({ dir, remote: "origin", branch: source.branch, trackingRef });
    if (commit !== null) return { dir, commit };
  }
  const own = await createGit(dir)
    .raw(["rev-parse", "--verify", "--quiet", `refs/heads/${source.branch}^{commit}`])
    .catch(() => "");
  return own.trim() === "" ? null : { dir, commit: own.trim() };
}

async function isRepository(dir: string): Promise<boolean> {
  const found = await stat(dir).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!found) return false;
  return createGit(dir)
    .raw(["rev-parse", "--git-dir"])
    .then(
      () => true,
      () => false,
    );
}

async function readFileJournal(
  path: string,
  options: { verify: boolean; warn: (message: string) => void },
): Promise<AuditJournal> {
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw new InvalidInputError("journal-unreadable", `cannot read the journal ${path}: ${error.message}`);
  });
  if (text === null) {
    return { entries: [], description: path, chained: false, broken: null, lines: 0, found: false };
  }
  const entries: JournalEntry[] = [];
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    const entry = parseLine(line);
    if (entry === null) options.warn(`${path}:${index + 1}: skipped an unreadable journal line`);
    else entries.push(entry);
  });
  const chain = options.verify ? readChain([{ path, text }]) : null;
  return {
    entries,
    description: path,
    chained: chain !== null,
    broken: chain?.broken ?? null,
    lines: lines.filter((line) => line.trim() !== "").length,
    found: true,
  };
}

function parseLine(line: string): JournalEntry | null {
  try {
    const value: unknown = JSON.parse(line);
    return isJournalEntry(value) ? value : null;
  } catch {
    return null;
  }
}
