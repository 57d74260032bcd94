// One commit on the journal branch, made with git plumbing only (hash-object, mktree, commit-tree): no working
// tree, no index, no current branch is involved, so a user's clone is never disturbed.
import { createGit, type GitFactory } from "../git/git-env.js";
import { GitError, runGit } from "../git/git-error.js";
import { listTree, type TreeEntry } from "../git/list-tree.js";
import { JOURNAL_FOLDER } from "../core/journal/journal-file-of.js";
import { runGitWithInput } from "./run-git-with-input.js";

/** Who commits to the journal branch (the entries themselves say which writer and run made them). */
const COMMITTER = ["-c", "user.name=grantops", "-c", "user.email=grantops@users.noreply.invalid"];

export interface JournalCommit {
  /** The branch's commit the new one follows, or null for the first commit (an orphan). */
  parent: string | null;
  /** The new full text of each changed or added file, by path (journal/<month>.jsonl). */
  files: ReadonlyMap<string, string>;
  message: string;
}

/** Writes the blobs, trees and commit of `change` into `dir`; resolves with the new commit's sha. */
export async function commitJournalFiles(
  dir: string,
  change: JournalCommit,
  git: GitFactory = createGit,
): Promise<string> {
  const existing = change.parent === null ? [] : await listTree(dir, change.parent, git);
  const blobs = new Map(existing.map((entry) => [entry.path, entry]));
  for (const [path, text] of change.files) {
    const sha = await runGitWithInput(dir, ["hash-object", "-w", "--stdin"], text);
    blobs.set(path, { path, mode: "100644", sha });
  }
  const tree = await rootTree(dir, [...blobs.values()]);
  const parent = change.parent === null ? [] : ["-p", change.parent];
  const out = await runGit("git commit-tree", () =>
    git(dir).raw([...COMMITTER, "commit-tree", tree, ...parent, "-m", change.message]),
  );
  return out.trim();
}

/** The root tree: the files at the root as they are, and the journal folder. */
async function rootTree(dir: string, entries: TreeEntry[]): Promise<string> {
  const inFolder = entries.filter((entry) => entry.path.startsWith(`${JOURNAL_FOLDER}/`));
  const atRoot = entries.filter((entry) => !entry.path.includes("/"));
  const other = entries.find((entry) => !inFolder.includes(entry) && !atRoot.includes(entry));
  if (other !== undefined) {
    throw new GitError("journal-branch-layout", `unexpected file on the journal branch: ${other.path}`);
  }
  const folder = await makeTree(
    dir,
    inFolder.map(
      (entry) => `${entry.mode} blob ${entry.sha}\t${entry.path.slice(JOURNAL_FOLDER.length + 1)}`,
    ),
  );
  return makeTree(dir, [
    ...atRoot.map((entry) => `${entry.mode} blob ${entry.sha}\t${entry.path}`),
    `040000 tree ${folder}\t${JOURNAL_FOLDER}`,
  ]);
}

function makeTree(dir: string, lines: string[]): Promise<string> {
  return runGitWithInput(dir, ["mktree"], lines.map((line) => `${line}\n`).join(""));
}
