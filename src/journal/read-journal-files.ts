import { createGit, type GitFactory } from "../git/git-env.js";
import { readFilesAtCommit } from "../git/read-files-at-commit.js";
import { JOURNAL_FOLDER } from "../core/journal/journal-file-of.js";
import type { ChainFile } from "../core/journal/read-chain.js";

/** The month files of the journal branch at `commit` (none for a null commit): one ls-tree, one cat-file. */
export async function readJournalFiles(
  dir: string,
  commit: string | null,
  git: GitFactory = createGit,
): Promise<ChainFile[]> {
  if (commit === null) return [];
  const files = await readFilesAtCommit(dir, commit, isJournalFile, git);
  return [...files].map(([path, bytes]) => ({ path, text: Buffer.from(bytes).toString("utf8") }));
}

function isJournalFile(path: string): boolean {
  return path.startsWith(`${JOURNAL_FOLDER}/`) && path.endsWith(".jsonl") && !path.slice(8).includes("/");
}
