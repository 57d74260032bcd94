import type { GitFactory } from "./git-env.js";
import { createGit } from "./git-env.js";
import { runGit } from "./git-error.js";
import { detachedText } from "../core/model/detached-text.js";

export interface TreeEntry {
  /** Path from the repository root, forward slashes. */
  path: string;
  /** Git file mode: "100644", "100755", "120000" (symlink). */
  mode: string;
  /** Blob sha. */
  sha: string;
}

/** Most paths passed to git as pathspecs; more are filtered from the whole tree. */
const MAX_PATHSPECS = 200;

/**
 * Every blob (file or symlink) of the tree at `commit`, whole repository: one `git ls-tree -r -z --full-tree`. With
 * `paths` (a few: a push's files), only those are listed (literal pathspecs), so a 10,000-file tree is not read.
 */
export async function listTree(
  dir: string,
  commit: string,
  git: GitFactory = createGit,
  paths?: readonly string[],
): Promise<TreeEntry[]> {
  const only =
    paths === undefined || paths.length > MAX_PATHSPECS
      ? []
      : ["--", ...paths.map((path) => `:(literal)${path}`)];
  if (paths !== undefined && paths.length === 0) return [];
  const out = await runGit(`git ls-tree ${commit}`, () =>
    git(dir).raw(["ls-tree", "-r", "-z", "--full-tree", commit, ...only]),
  );
  const entries: TreeEntry[] = [];
  for (const record of out.split("\0")) {
    const tab = record.indexOf("\t");
    if (tab < 0) continue;
    const [mode, type, sha] = record.slice(0, tab).split(" ");
    if (type !== "blob" || mode === undefined || sha === undefined) continue;
    // Copies: a slice would keep the whole listing alive as long as one path or sha is kept.
    entries.push({ path: detachedText(record.slice(tab + 1)), mode, sha: detachedText(sha) });
  }
  return entries;
}
