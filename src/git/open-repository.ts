import { createHash, randomBytes } from "node:crypto";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { InvalidInputError } from "../core/model/grantops-error.js";
import { createGit, type GitFactory } from "./git-env.js";
import { runGit } from "./git-error.js";
import { isRemoteUrl, redactUrl } from "./redact-url.js";
import { refreshCommitGraph } from "./refresh-commit-graph.js";
import { localHeadAtOnce, resolveRef, type ResolvedRef } from "./resolve-ref.js";

export interface OpenRepositoryOptions {
  /** A local path (working or bare repository) or a clone URL (file://, https://, ssh://, user@host:path). */
  repo: string;
  /** Branch, tag or commit sha; default: the repository's default branch. */
  ref?: string;
  /** Where clones of URLs are kept (one directory per URL). */
  cacheDir: string;
  /** Base for a relative local path (default: the process's working directory). */
  cwd?: string;
  git?: GitFactory;
  /** A clone's commit-graph is written again once this many commits arrived (default COMMIT_GRAPH_EVERY). */
  commitGraphEvery?: number;
}

export interface OpenedRepository {
  /** The directory to run git in (the local repository, or the cached clone). */
  dir: string;
  /** The branch read: the default branch, or the branch `ref` names; for a tag or sha, `ref` itself. */
  branch: string;
  /** The commit sha everything is read at. */
  commit: string;
}

/**
 * Opens the repository holding the desired state and resolves the commit to read. A URL is cloned into
 * `cacheDir/<hash of the URL without credentials>` (bare, nothing checked out), or fetched when already there.
 * Nothing here reads a working tree.
 */
export async function openRepository(options: OpenRepositoryOptions): Promise<OpenedRepository> {
  const factory = options.git ?? createGit;
  if (isRemoteUrl(options.repo)) return openRemote(options, factory);
  const dir = resolve(options.cwd ?? process.cwd(), options.repo);
  if (!(await exists(dir))) throw new InvalidInputError("repo-not-found", `repository not found: ${dir}`);
  if (options.ref === undefined || options.ref === "") {
    const head = await localHeadAtOnce(factory(dir));
    if (head !== null) return finish(dir, head);
  }
  // Both at once (one git start-up less to wait for); not being a repository is the error a caller sees first.
  const resolving = resolveRef(factory(dir), { ref: options.ref, remote: false });
  resolving.catch(() => undefined);
  await assertRepository(dir, factory);
  return finish(dir, await resolving);
}

/** The bare cache clone of a URL (created empty when missing; not fetched): its directory. */
export async function openCacheClone(
  url: string,
  cacheDir: string,
  factory: GitFactory = createGit,
): Promise<string> {
  const dir = join(resolve(cacheDir), cacheKey(url));
  if (!(await exists(dir))) await createMirror(dir, cacheDir, factory);
  return dir;
}

async function openRemote(options: OpenRepositoryOptions, factory: GitFactory): Promise<OpenedRepository> {
  const dir = await openCacheClone(options.repo, options.cacheDir, factory);
  await fetchAll(factory(dir), options.repo);
  await refreshCommitGraph(dir, factory, { every: options.commitGraphEvery });
  const git = factory(dir);
  const resolved = await resolveRef(git, { ref: options.ref, remote: true, url: options.repo });
  return finish(dir, resolved);
}

function finish(dir: string, resolved: ResolvedRef): OpenedRepository {
  return { dir, branch: resolved.branch, commit: resolved.commit };
}

/** sha256 of the URL with any credentials removed, so a rotated token keeps the same cache. */
export function cacheKey(url: string): string {
  return createHash("sha256").update(redactUrl(url)).digest("hex").slice(0, 24);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function assertRepository(dir: string, factory: GitFactory): Promise<void> {
  if (!(await exists(dir))) throw new InvalidInputError("repo-not-found", `repository not found: ${dir}`);
  try {
    await factory(dir).raw(["rev-parse", "--git-dir"]);
  } catch {
    throw new InvalidInputError("not-a-repository", `not a git repository: ${dir}`);
  }
}

/**
 * An empty bare repository created beside its final place and renamed into it, so a crash or a concurrent
 * run never leaves a half-made cache. The URL is never stored in its config (it may carry a token).
 */
async function createMirror(dir: string, cacheDir: string, factory: GitFactory): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const temp = `${dir}.tmp-${randomBytes(6).toString("hex")}`;
  await mkdir(temp);
  try {
    await runGit("git init", () => factory(temp).raw(["init", "--bare", "--quiet"]));
    await rename(temp, dir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    if (!(await exists(dir))) throw error;
  }
}

/**
 * Branches to refs/remotes/origin/*, tags to refs/tags/*, pruning what the remote deleted. `--verbose`, not
 * `--quiet`: simple-git waits 50 ms more for a command that writes nothing, and every push's run fetches.
 */
async function fetchAll(git: ReturnType<GitFactory>, url: string): Promise<void> {
  await runGit(`git fetch ${url}`, () =>
    git.raw([
      "fetch",
      "--verbose",
      "--prune",
      "--no-tags",
      url,
      "+refs/heads/*:refs/remotes/origin/*",
      "+refs/tags/*:refs/tags/*",
    ]),
  );
}
