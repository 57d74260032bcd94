import type { SimpleGit } from "simple-git";
import { InvalidInputError } from "../core/model/grantops-error.js";
import { GitError, runGit } from "./git-error.js";

export interface ResolvedRef {
  branch: string;
  commit: string;
}

export interface ResolveRefOptions {
  ref: string | undefined;
  /** True for a cached clone of a URL: branches live under refs/remotes/origin/ and `url` can be asked. */
  remote: boolean;
  url?: string;
}

/** Resolves `ref` (or the default branch) to a commit sha. */
export async function resolveRef(git: SimpleGit, options: ResolveRefOptions): Promise<ResolvedRef> {
  if (options.ref === undefined || options.ref === "") return resolveDefaultBranch(git, options);
  const ref = options.ref;
  if (ref.startsWith("-")) throw new InvalidInputError("invalid-ref", `invalid ref: ${ref}`);
  const candidates = options.remote
    ? [`refs/remotes/origin/${ref}`, `refs/tags/${ref}`, ref]
    : [`refs/heads/${ref}`, `refs/remotes/origin/${ref}`, `refs/tags/${ref}`, ref];
  for (const candidate of candidates) {
    const commit = await commitOf(git, candidate);
    if (commit !== null) return { branch: ref, commit };
  }
  if (options.remote && options.url !== undefined) {
    const commit = await fetchSingleRef(git, options.url, ref);
    if (commit !== null) return { branch: ref, commit };
  }
  throw new InvalidInputError("unknown-ref", `ref not found in the repository: ${ref}`);
}

/**
 * A local repository read at its default branch, in the common cases, with two git commands at once: the
 * origin/HEAD probe, and the repository check with HEAD's commit and branch (`rev-parse --git-dir HEAD
 * --symbolic-full-name HEAD`); a clone whose refs/remotes/origin/HEAD names a branch takes one more, for that
 * branch's commit. The same answer as localDefaultBranch and commitOf give. Null when that is not the whole answer
 * (not a repository, no commit yet, a detached HEAD without origin/HEAD, a branch without commit): the caller then
 * takes the step-by-step path, which gives the precise error. Each git start costs the main thread a fork of the
 * whole process (~10 ms with a large heap), and these probes come before the first file is read.
 */
export async function localHeadAtOnce(git: SimpleGit): Promise<ResolvedRef | null> {
  const [originHead, head] = await Promise.all([
    symbolicRef(git, "refs/remotes/origin/HEAD"),
    git.raw(["rev-parse", "--git-dir", "HEAD", "--symbolic-full-name", "HEAD"]).then(
      (out) => out,
      () => null,
    ),
  ]);
  if (head === null) return null;
  if (originHead?.startsWith(ORIGIN)) {
    const commit = await commitOf(git, originHead);
    return commit === null ? null : { branch: originHead.slice(ORIGIN.length), commit };
  }
  if (originHead !== null) return null;
  const [, commit, branchRef] = head.trim().split("\n");
  if (commit === undefined || !/^[0-9a-f]{40,64}$/.test(commit)) return null;
  if (branchRef === undefined || !branchRef.startsWith("refs/heads/")) return null;
  return { branch: branchRef.slice("refs/heads/".length), commit };
}

const ORIGIN = "refs/remotes/origin/";

/**
 * The commit a revision names, or null when there is none. Never `--quiet`: simple-git waits 50 ms more for a
 * command that writes nothing at all, and a miss is common here.
 */
export async function commitOf(git: SimpleGit, revision: string): Promise<string | null> {
  try {
    const out = (await git.raw(["rev-parse", "--verify", `${revision}^{commit}`])).trim();
    return /^[0-9a-f]{40,64}$/.test(out) ? out : null;
  } catch {
    return null;
  }
}

/** The ref a symbolic ref points to, or null (not `--quiet`, as commitOf: a miss then says so on stderr). */
async function symbolicRef(git: SimpleGit, name: string): Promise<string | null> {
  try {
    const out = (await git.raw(["symbolic-ref", name])).trim();
    return out === "" ? null : out;
  } catch {
    return null;
  }
}

async function resolveDefaultBranch(git: SimpleGit, options: ResolveRefOptions): Promise<ResolvedRef> {
  const branch = options.remote
    ? await remoteDefaultBranch(git, options.url ?? "")
    : await localDefaultBranch(git);
  const revision =
    options.remote || branch.viaOrigin ? `refs/remotes/origin/${branch.name}` : `refs/heads/${branch.name}`;
  const commit = await commitOf(git, revision);
  if (commit === null) {
    throw new GitError(
      "empty-branch",
      `the default branch "${branch.name}" has no commit (empty repository?)`,
    );
  }
  return { branch: branch.name, commit };
}

interface BranchName {
  name: string;
  viaOrigin: boolean;
}

/** refs/remotes/origin/HEAD when the clone has one, else the branch HEAD points to. */
async function localDefaultBranch(git: SimpleGit): Promise<BranchName> {
  const [originHead, head] = await Promise.all([
    symbolicRef(git, "refs/remotes/origin/HEAD"),
    symbolicRef(git, "HEAD"),
  ]);
  if (originHead?.startsWith("refs/remotes/origin/")) {
    return { name: originHead.slice("refs/remotes/origin/".length), viaOrigin: true };
  }
  if (head?.startsWith("refs/heads/")) return { name: head.slice("refs/heads/".length), viaOrigin: false };
  throw new GitError("no-default-branch", "cannot tell the default branch: HEAD is detached; pass --ref");
}

/** Asks the remote which branch its HEAD names, and records it as refs/remotes/origin/HEAD. */
async function remoteDefaultBranch(git: SimpleGit, url: string): Promise<BranchName> {
  const out = await runGit(`git ls-remote ${url}`, () => git.raw(["ls-remote", "--symref", url, "HEAD"]));
  const match = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(out);
  if (match?.[1] !== undefined) {
    const target = `refs/remotes/origin/${match[1]}`;
    // Written only when it changed: setting a symbolic ref prints nothing, which costs 50 ms (see commitOf).
    if ((await symbolicRef(git, "refs/remotes/origin/HEAD")) !== target)
      await git.raw(["symbolic-ref", "refs/remotes/origin/HEAD", target]);
    return { name: match[1], viaOrigin: true };
  }
  const known = await symbolicRef(git, "refs/remotes/origin/HEAD");
  if (known?.startsWith("refs/remotes/origin/")) {
    return { name: known.slice("refs/remotes/origin/".length), viaOrigin: true };
  }
  throw new GitError("no-default-branch", "the remote does not say which branch is its default; pass --ref");
}

/** Fetches one ref or commit the branch/tag refspecs did not bring (e.g. refs/pull/12/head, or a sha). */
async function fetchSingleRef(git: SimpleGit, url: string, ref: string): Promise<string | null> {
  try {
    await git.raw(["fetch", "--verbose", "--no-tags", url, ref]); // not --quiet: see commitOf
  } catch {
    return null;
  }
  return commitOf(git, "FETCH_HEAD");
}
