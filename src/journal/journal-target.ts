import { resolve } from "node:path";
import { createGit, type GitFactory } from "../git/git-env.js";
import { openCacheClone } from "../git/open-repository.js";
import { isRemoteUrl } from "../git/redact-url.js";

/** Default name of the journal branch (docs/git-and-apply.md, "The journal branch"). */
export const DEFAULT_JOURNAL_BRANCH = "grantops-journal";

/** Where the journal branch is published: a git directory to build commits in, and the remote to push to. */
export interface JournalTarget {
  /** The git directory commits are built in (the bare cache clone of a URL, or the local repository). */
  dir: string;
  /** What `git fetch`/`git push` are given: the URL, or the local repository's remote name (`origin`). */
  remote: string;
  branch: string;
  /** The ref in `dir` that holds the branch as last fetched. */
  trackingRef: string;
}

export interface JournalTargetOptions {
  /** The grants repository: a URL or a local path. */
  repo: string;
  cacheDir: string;
  cwd: string;
  /** The journal branch, or null to keep the journal in the local file only. */
  branch: string | null;
  git?: GitFactory;
}

/**
 * The journal branch of the grants repository, or null when there is no remote to push to (the journal stays in
 * the local file). A URL is published through its bare cache clone; a local repository through its `origin`
 * remote, with git plumbing only: neither its working tree nor its current branch is touched.
 */
export async function resolveJournalTarget(options: JournalTargetOptions): Promise<JournalTarget | null> {
  if (options.branch === null) return null;
  const trackingRef = `refs/remotes/origin/${options.branch}`;
  if (isRemoteUrl(options.repo)) {
    const dir = await openCacheClone(options.repo, options.cacheDir, options.git);
    return { dir, remote: options.repo, branch: options.branch, trackingRef };
  }
  const dir = resolve(options.cwd, options.repo);
  const origin = await (options.git ?? createGit)(dir)
    .raw(["config", "--get", "remote.origin.url"])
    .catch(() => "");
  return origin.trim() === "" ? null : { dir, remote: "origin", branch: options.branch, trackingRef };
}
