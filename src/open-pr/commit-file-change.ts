// One commit that changes one file of a commit's tree, made with git plumbing only (hash-object, ls-tree, mktree,
// commit-tree): the user's working tree, index and current branch are never touched, and nothing else of the
// tree (other files, submodules, modes) changes.
import { createGit, type GitFactory } from "../git/git-env.js";
import { GitError, runGit } from "../git/git-error.js";
import { runGitWithInput } from "../journal/run-git-with-input.js";

export interface FileChangeCommit {
  /** The commit the new one follows. */
  parent: string;
  /** Repository path of the file, forward slashes: "grants/payments/alice-jira.yaml". */
  path: string;
  /** The file's new text, or null to remove it. */
  text: string | null;
  message: string;
  /** `-c` settings of the commit: its author and committer (src/open-pr/commit-identity.ts). */
  identity: readonly string[];
}

/**
 * Writes the blob, the trees along the path and the commit (author and committer: `change.identity`). Plumbing runs
 * no hook: neither pre-commit nor commit-msg.
 */
export async function commitFileChange(
  dir: string,
  change: FileChangeCommit,
  git: GitFactory = createGit,
): Promise<string> {
  const blob =
    change.text === null ? null : await runGitWithInput(dir, ["hash-object", "-w", "--stdin"], change.text);
  const tree = await replaceInTree(dir, `${change.parent}^{tree}`, change.path.split("/"), blob, git);
  const root = tree ?? (await runGitWithInput(dir, ["mktree", "-z"], ""));
  const out = await runGit("git commit-tree", () =>
    git(dir).raw([...change.identity, "commit-tree", root, "-p", change.parent, "-m", change.message]),
  );
  return out.trim();
}

/** The tree `treeish` with the blob at `parts` set (or removed when null); null when the tree ends up empty. */
async function replaceInTree(
  dir: string,
  treeish: string | null,
  parts: readonly string[],
  blob: string | null,
  git: GitFactory,
): Promise<string | null> {
  const [name, ...rest] = parts;
  if (name === undefined || name === "" || name === "." || name === "..")
    throw new GitError("bad-path", `cannot commit the path ${parts.join("/")}`);
  const entries = treeish === null ? [] : await listEntries(dir, treeish, git);
  const kept = entries.filter((entry) => entry.name !== name);
  if (rest.length === 0) {
    if (blob !== null) kept.push({ mode: "100644", type: "blob", sha: blob, name });
  } else {
    const sub = entries.find((entry) => entry.name === name && entry.type === "tree");
    const subtree = await replaceInTree(dir, sub?.sha ?? null, rest, blob, git);
    if (subtree !== null) kept.push({ mode: "040000", type: "tree", sha: subtree, name });
  }
  if (kept.length === 0) return null;
  const input = kept.map((e) => `${e.mode} ${e.type} ${e.sha}\t${e.name}\0`).join("");
  return runGitWithInput(dir, ["mktree", "-z"], input);
}

interface TreeLine {
  mode: string;
  type: string;
  sha: string;
  name: string;
}

async function listEntries(dir: string, treeish: string, git: GitFactory): Promise<TreeLine[]> {
  const out = await runGit(`git ls-tree ${treeish}`, () => git(dir).raw(["ls-tree", "-z", treeish]));
  return out
    .split("\0")
    .filter((record) => record.includes("\t"))
    .map((record) => {
      const tab = record.indexOf("\t");
      const [mode = "", type = "", sha = ""] = record.slice(0, tab).split(" ");
      return { mode, type, sha, name: record.slice(tab + 1) };
    });
}
