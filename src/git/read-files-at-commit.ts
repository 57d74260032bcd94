import { catBlobs } from "./cat-blobs.js";
import { createGit, type GitFactory } from "./git-env.js";
import { GitError } from "./git-error.js";
import { listTree } from "./list-tree.js";

/**
 * The bytes of every file at `commit` whose repository path passes `filter` (e.g. grants/** and policy.yaml).
 * Reads the commit, never the working tree: one `git ls-tree` and one `git cat-file --batch`, whatever the
 * number of files. Large or binary files come back unchanged (the validator decides about them).
 */
export async function readFilesAtCommit(
  dir: string,
  commit: string,
  filter: (path: string) => boolean,
  git: GitFactory = createGit,
): Promise<Map<string, Uint8Array>> {
  const entries = (await listTree(dir, commit, git)).filter((entry) => filter(entry.path));
  const blobs = await catBlobs(
    dir,
    entries.map((entry) => entry.sha),
  );
  const files = new Map<string, Uint8Array>();
  for (const entry of entries) {
    const bytes = blobs.get(entry.sha);
    if (bytes === undefined)
      throw new GitError("git-missing-object", `object missing for ${entry.path} at ${commit}`);
    files.set(entry.path, bytes);
  }
  return files;
}
