import { catBlobs } from "./cat-blobs.js";
import { createGit, type GitFactory } from "./git-env.js";
import { GitError } from "./git-error.js";
import { listTree } from "./list-tree.js";
import { RepositoryFiles } from "../core/model/repository-files.js";

/**
 * The bytes of every file at `commit` whose repository path passes `filter` (e.g. grants/** and policy.yaml);
 * `paths`, when given, lists only those paths (a few) instead of the whole tree.
 * Reads the commit, never the working tree: one `git ls-tree` and one `git cat-file --batch`, whatever the
 * number of files. Large or binary files come back unchanged (the validator decides about them). A symbolic link
 * (mode 120000) is not read: it is recorded as irregular at its path, as `validate` does on disk.
 */
export async function readFilesAtCommit(
  dir: string,
  commit: string,
  filter: (path: string) => boolean,
  git: GitFactory = createGit,
  paths?: readonly string[],
): Promise<RepositoryFiles> {
  const files = new RepositoryFiles();
  const listed = (await listTree(dir, commit, git, paths)).filter((entry) => filter(entry.path));
  for (const link of listed.filter((entry) => entry.mode === SYMLINK_MODE))
    files.irregular.set(link.path, "a symbolic link");
  const entries = listed.filter((entry) => entry.mode !== SYMLINK_MODE);
  const blobs = await catBlobs(
    dir,
    entries.map((entry) => entry.sha),
  );
  for (const entry of entries) {
    const bytes = blobs.get(entry.sha);
    if (bytes === undefined)
      throw new GitError("git-missing-object", `object missing for ${entry.path} at ${commit}`);
    files.set(entry.path, bytes);
  }
  return files;
}

const SYMLINK_MODE = "120000";
