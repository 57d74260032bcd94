import { simpleGit } from "simple-git";
import { InvalidInputError } from "../core/model/grantops-error.js";
import { createGit, gitProcessEnv, type GitFactory } from "../git/git-env.js";
import { runGit } from "../git/git-error.js";
import { openRepository } from "../git/open-repository.js";
import { isRemoteUrl } from "../git/redact-url.js";
import { commitOf, resolveRef } from "../git/resolve-ref.js";

export interface PreviewOptions {
  /** A local path or a clone URL, as for plan/apply. */
  repo: string;
  cacheDir: string;
  /** The base branch; default the repository's default branch. */
  branch?: string;
  pullNumber: number;
  /** The PR head to plan; default what `refs/pull/N/head` names. */
  headSha?: string;
  /** Committer time of the preview merge (it becomes the landing time of the files the PR changes). */
  now: Date;
  git?: GitFactory;
}

export interface PullRequestPreview {
  /** The repository directory (the local one, or the cached clone of the URL). */
  dir: string;
  /** The base branch and its commit. */
  branch: string;
  baseCommit: string;
  /** The PR head that was planned. */
  headCommit: string;
  /** The commit to read: a merge of the head into the base made now (never on any branch), or the head itself on conflicts. */
  commit: string;
  /** True when `commit` is the preview merge; false when the PR conflicts with the base. */
  merged: boolean;
  /** Repository paths the PR changes (against the merge base). */
  changedFiles: Set<string>;
  /** How the PR changes each of them: added, changed (modified or type change) or removed. */
  changeKinds: Map<string, FileChange>;
}

export type FileChange = "added" | "changed" | "removed";

/**
 * The repository as it would be after merging pull request N now: fetches the base and `refs/pull/N/head`,
 * merges them without a working tree (`git merge-tree --write-tree`) into a commit that no ref points to,
 * dated now, so the files the PR changes "land" now (as they would at merge). Falls back to the head itself
 * when the PR conflicts with its base.
 */
export async function previewPullRequest(options: PreviewOptions): Promise<PullRequestPreview> {
  const git = options.git ?? createGit;
  const base = await openRepository({
    repo: options.repo,
    cacheDir: options.cacheDir,
    ...(options.branch === undefined ? {} : { ref: options.branch }),
    git,
  });
  const headCommit = await pullHead(git, base.dir, options);
  const changeKinds = await filesChanged(git, base.dir, base.commit, headCommit);
  const tree = await mergeTree(git, base.dir, base.commit, headCommit);
  const commit =
    tree === null ? headCommit : await commitTree(base.dir, tree, base.commit, headCommit, options);
  return {
    dir: base.dir,
    branch: base.branch,
    baseCommit: base.commit,
    headCommit,
    commit,
    merged: tree !== null,
    changedFiles: new Set(changeKinds.keys()),
    changeKinds,
  };
}

async function pullHead(git: GitFactory, dir: string, options: PreviewOptions): Promise<string> {
  const wanted = options.headSha;
  if (wanted !== undefined && !/^[0-9a-f]{40,64}$/.test(wanted)) {
    throw new InvalidInputError("bad-head-sha", `--head-sha ${wanted}: not a full commit sha`);
  }
  if (wanted !== undefined && (await commitOf(git(dir), wanted)) !== null) return wanted;
  const resolved = await resolveRef(git(dir), {
    ref: `refs/pull/${options.pullNumber}/head`,
    remote: isRemoteUrl(options.repo),
    url: options.repo,
  });
  if (wanted !== undefined && (await commitOf(git(dir), wanted)) !== null) return wanted;
  return resolved.commit;
}

async function filesChanged(
  git: GitFactory,
  dir: string,
  base: string,
  head: string,
): Promise<Map<string, FileChange>> {
  const out = await runGit("git diff", () =>
    git(dir).raw(["diff", "--name-status", "--no-renames", "-z", `${base}...${head}`, "--"]),
  );
  const fields = out.split("\0");
  const changes = new Map<string, FileChange>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [status, file] = [fields[i] ?? "", fields[i + 1] ?? ""];
    if (file === "") continue;
    changes.set(file, status.startsWith("A") ? "added" : status.startsWith("D") ? "removed" : "changed");
  }
  return changes;
}

/** The merged tree, or null when the head conflicts with the base. */
async function mergeTree(git: GitFactory, dir: string, base: string, head: string): Promise<string | null> {
  try {
    const out = await git(dir).raw(["merge-tree", "--write-tree", "--no-messages", base, head]);
    const lines = out.split("\n").filter((line) => line.trim() !== "");
    return lines.length === 1 && /^[0-9a-f]{40,64}$/.test(lines[0] ?? "") ? (lines[0] ?? null) : null;
  } catch {
    return null;
  }
}

async function commitTree(
  dir: string,
  tree: string,
  base: string,
  head: string,
  options: PreviewOptions,
): Promise<string> {
  const date = options.now.toISOString();
  const git = simpleGit({
    baseDir: dir,
    config: ["user.name=grantops", "user.email=grantops@localhost", "commit.gpgsign=false"],
    allowEnvironment: ["GIT_TERMINAL_PROMPT", "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"],
  }).env({ ...gitProcessEnv(), GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
  const message = `grantops preview of pull request #${options.pullNumber}`;
  const out = await runGit("git commit-tree", () =>
    git.raw(["commit-tree", tree, "-p", base, "-p", head, "-m", message]),
  );
  return out.trim();
}
