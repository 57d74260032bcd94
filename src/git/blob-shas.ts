import { createGit, type GitFactory } from "./git-env.js";
import { listTree } from "./list-tree.js";

/** The blob sha of each of `paths` at `commit` (paths missing at that commit are absent from the map). */
export async function blobShas(
  dir: string,
  commit: string,
  paths: readonly string[],
  git: GitFactory = createGit,
): Promise<Map<string, string>> {
  const wanted = new Set(paths);
  const shas = new Map<string, string>();
  for (const entry of await listTree(dir, commit, git, paths)) {
    if (wanted.has(entry.path)) shas.set(entry.path, entry.sha);
  }
  return shas;
}
