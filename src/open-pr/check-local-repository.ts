// Before `--open-pr` writes anything: the grants repository is a git repository with a commit, the remote exists,
// and nothing uncommitted under grants/ or in the policy would make the checked change differ from the commit.
import { realpath } from "node:fs/promises";
import { InvalidInputError } from "../core/model/grantops-error.js";
import { createGit, type GitFactory } from "../git/git-env.js";
import { runGit } from "../git/git-error.js";
import { redactUrl } from "../git/redact-url.js";
import { commitOf } from "../git/resolve-ref.js";
import { readCommitIdentity } from "./commit-identity.js";

export interface LocalRepository {
  dir: string;
  /** The commit the change is made on (HEAD). */
  head: string;
  remote: string;
  /** The remote's URL, credentials removed. */
  remoteUrl: string;
  /** The `-c` settings that give the commit its author and committer (src/open-pr/commit-identity.ts). */
  identity: readonly string[];
}

/**
 * Refuses (InvalidInputError, exit 4) a directory that is not the top of a git working tree, a repository without
 * a commit, an unknown remote, uncommitted changes (staged, unstaged or untracked) under `paths` (the change is
 * checked against the working tree but committed on HEAD, so the two must agree), and no commit identity.
 */
export async function checkLocalRepository(
  dir: string,
  options: { remote: string; paths: readonly string[]; env: Readonly<Record<string, string | undefined>> },
  git: GitFactory = createGit,
): Promise<LocalRepository> {
  const top = await git(dir)
    .raw(["rev-parse", "--show-toplevel"])
    .then((out) => out.trim())
    .catch(() => null);
  if (top === null || (await realpath(top)) !== (await realpath(dir)))
    throw new InvalidInputError(
      "not-a-git-repository",
      `--open-pr: ${dir} is not the top folder of a git working tree (clone the grants repository first)`,
    );
  const head = await commitOf(git(dir), "HEAD");
  if (head === null) throw new InvalidInputError("no-commit", "--open-pr: the repository has no commit yet");
  const url = await git(dir)
    .raw(["remote", "get-url", "--", options.remote])
    .then((out) => out.trim())
    .catch(() => null);
  if (url === null || url === "")
    throw new InvalidInputError(
      "no-remote",
      `--open-pr: the repository has no remote "${options.remote}" to push to (add one, or name it with --remote)`,
    );
  const dirty = await uncommitted(dir, options.paths, git);
  if (dirty.length > 0)
    throw new InvalidInputError(
      "dirty-working-tree",
      `--open-pr: uncommitted changes would not be in the pull request: ${dirty.slice(0, 10).join(", ")}` +
        `${dirty.length > 10 ? ` and ${dirty.length - 10} more` : ""}; commit or stash them first`,
    );
  const identity = await readCommitIdentity(dir, options.env, git);
  return { dir, head, remote: options.remote, remoteUrl: redactUrl(url), identity };
}

/** The paths under `paths` that differ from HEAD: staged, unstaged or untracked (ignored files aside). */
async function uncommitted(dir: string, paths: readonly string[], git: GitFactory): Promise<string[]> {
  const out = await runGit("git status", () =>
    git(dir).raw(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", ...paths]),
  );
  const records = out.split("\0");
  const dirty: string[] = [];
  for (let i = 0; i < records.length; i++) {
    const record = records[i] ?? "";
    if (record.length < 4) continue;
    dirty.push(record.slice(3));
    // A rename or copy is followed by its source path.
    if (record[0] === "R" || record[0] === "C") i++;
  }
  return dirty;
}

/**
 * Refuses a HEAD with commits that are not on the remote's default branch (as last fetched): the pull request
 * would carry them.
 */
export async function assertOnDefaultBranch(
  local: LocalRepository,
  defaultBranch: string,
  git: GitFactory = createGit,
): Promise<void> {
  const tracking = `refs/remotes/${local.remote}/${defaultBranch}`;
  if ((await commitOf(git(local.dir), tracking)) === null)
    throw new InvalidInputError(
      "unknown-default-branch",
      `--open-pr: ${local.remote}/${defaultBranch} is not known here: run git fetch ${local.remote} first`,
    );
  const ahead = await runGit("git rev-list", () =>
    git(local.dir).raw(["rev-list", "--count", `${tracking}..${local.head}`]),
  );
  if (Number(ahead.trim()) > 0)
    throw new InvalidInputError(
      "unpushed-commits",
      `--open-pr: HEAD has ${ahead.trim()} commit(s) that are not on ${local.remote}/${defaultBranch}; the pull ` +
        `request would carry them: switch to ${defaultBranch} (git switch ${defaultBranch} && git pull) first`,
    );
}
