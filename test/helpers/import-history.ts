// Builds git history fast with `git fast-import` (thousands of commits in a second), for the landing-times
// tests and the history bench: a first-parent chain of commits, some of them merges of a side commit.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gitProcessEnv } from "../../src/git/git-env.js";

/** File contents by path; null deletes the file. */
export type FileChanges = Record<string, string | null>;

export interface ImportedCommit {
  /** Committer (and author) time, Unix seconds. */
  seconds: number;
  files: FileChanges;
  /**
   * Makes the commit a merge: a side commit (one second earlier, from the previous tip) carries these changes,
   * and the merge brings them with `files` (its diff against its first parent is both).
   */
  side?: FileChanges;
}

/**
 * Appends `commits` to `branch` of the repository at `dir` (from `parent`, a sha; else a new root), and returns
 * the shas of the first-parent commits in order (the branch is moved even when that rewrites it). The commits are
 * written as one pack.
 */
export async function importHistory(
  dir: string,
  commits: Iterable<ImportedCommit>,
  options: { branch?: string; parent?: string } = {},
): Promise<string[]> {
  const branch = `refs/heads/${options.branch ?? "main"}`;
  const marksDir = await mkdtemp(join(tmpdir(), "grantops-marks-"));
  const marks = join(marksDir, "marks");
  try {
    const count = await runFastImport(dir, marks, streamOf(commits, branch, options.parent));
    const text = await readFile(marks, "utf8");
    const shas = new Map(text.split("\n").map((line) => line.split(" ") as [string, string]));
    return Array.from({ length: count }, (_, i) => shas.get(`:${i + 1}`) ?? "");
  } finally {
    await rm(marksDir, { recursive: true, force: true });
  }
}

function* streamOf(commits: Iterable<ImportedCommit>, branch: string, parent?: string): Generator<string> {
  let previous = parent === undefined ? null : parent;
  let mark = 0;
  for (const commit of commits) {
    mark += 1;
    let merge = "";
    if (commit.side !== undefined) {
      if (previous === null) throw new Error("a merge needs a previous commit");
      yield commitText("refs/heads/import-side", `:${1_000_000 + mark}`, commit.seconds - 1, previous, "");
      yield fileOps(commit.side);
      merge = `merge :${1_000_000 + mark}\n`;
    }
    yield commitText(branch, `:${mark}`, commit.seconds, previous, merge);
    yield fileOps({ ...commit.side, ...commit.files });
    previous = `:${mark}`;
  }
  yield `done\n`;
}

function commitText(ref: string, mark: string, seconds: number, from: string | null, merge: string): string {
  const who = `Grantops Test <test@example.com> ${seconds} +0000`;
  const parent = from === null ? "" : `from ${from}\n`;
  return `commit ${ref}\nmark ${mark}\nauthor ${who}\ncommitter ${who}\ndata 7\nhistory\n${parent}${merge}`;
}

function fileOps(files: FileChanges): string {
  let text = "";
  for (const [path, content] of Object.entries(files)) {
    if (content === null) text += `D ${path}\n`;
    else text += `M 100644 inline ${path}\ndata ${Buffer.byteLength(content)}\n${content}\n`;
  }
  return `${text}\n`;
}

/** Runs fast-import on the stream; resolves with the number of first-parent commits (marks below 1,000,000). */
function runFastImport(dir: string, marks: string, stream: Iterable<string>): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    // glibc grows fast-import's heap in small steps by default; a large pad keeps 100k commits to seconds.
    const env = { ...gitProcessEnv(), MALLOC_TOP_PAD_: String(256 * 1024 * 1024) };
    const child = spawn("git", ["fast-import", "--quiet", "--done", "--force", `--export-marks=${marks}`], {
      cwd: dir,
      env,
      stdio: ["pipe", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`git fast-import exited ${code}: ${stderr}`));
    });
    let count = 0;
    let buffered: string[] = [];
    const flush = (): void => {
      child.stdin.write(buffered.join(""));
      buffered = [];
    };
    for (const piece of stream) {
      if (piece.startsWith("commit refs/heads/") && !piece.startsWith("commit refs/heads/import-side"))
        count += 1;
      buffered.push(piece);
      if (buffered.length >= 4096) flush();
    }
    flush();
    child.stdin.end();
    child.on("close", (code) => {
      if (code === 0) resolvePromise(count);
    });
  });
}
