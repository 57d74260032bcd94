import { eachObject } from "./cat-objects.js";
import { createGit, type GitFactory } from "./git-env.js";
import { GitError } from "./git-error.js";
import { listTree, type TreeEntry } from "./list-tree.js";
import { RepositoryFiles } from "../core/model/repository-files.js";

/** The files at a commit before their bytes are read: the regular files, and the paths that are not (links). */
export interface CommitListing {
  commit: string;
  /** Regular files (and anything else but symbolic links), in tree order. */
  entries: TreeEntry[];
  /** Their paths. */
  paths: string[];
  /** Symbolic links (mode 120000), never read: path → "a symbolic link". */
  irregular: Map<string, string>;
}

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
  const listing = await listFilesAtCommit(dir, commit, filter, git, paths);
  for (const [path, what] of listing.irregular) files.irregular.set(path, what);
  await eachListedFile(dir, listing, (path, bytes) => files.set(path, new Uint8Array(bytes)));
  return files;
}

/**
 * The files at `commit` whose path passes `filter`, listed (one `git ls-tree`) but not read; `paths`, when given,
 * lists only those paths (a few) instead of the whole tree.
 */
export async function listFilesAtCommit(
  dir: string,
  commit: string,
  filter: (path: string) => boolean,
  git: GitFactory = createGit,
  paths?: readonly string[],
): Promise<CommitListing> {
  const listed = (await listTree(dir, commit, git, paths)).filter((entry) => filter(entry.path));
  const irregular = new Map<string, string>();
  for (const link of listed.filter((entry) => entry.mode === SYMLINK_MODE))
    irregular.set(link.path, "a symbolic link");
  const entries = listed.filter((entry) => entry.mode !== SYMLINK_MODE);
  return { commit, entries, paths: entries.map((entry) => entry.path), irregular };
}

/**
 * Hands the bytes of each listed file to `each` as git answers (one `git cat-file --batch`), `first` before the
 * others when it is listed: nothing is held beyond one call, the bytes are a view valid only during it.
 */
export async function eachListedFile(
  dir: string,
  listing: CommitListing,
  each: (path: string, bytes: Uint8Array) => void,
  options: { first?: string } = {},
): Promise<void> {
  const first = listing.entries.filter((entry) => entry.path === options.first);
  const entries = [...first, ...listing.entries.filter((entry) => entry.path !== options.first)];
  await eachObject(
    dir,
    entries.map((entry) => entry.sha),
    (index, object) => {
      const entry = entries[index]!;
      if (object === null)
        throw new GitError("git-missing-object", `object missing for ${entry.path} at ${listing.commit}`);
      each(entry.path, object.bytes);
    },
  );
}

const SYMLINK_MODE = "120000";
