// A real temporary git repository for tests: write files, commit at chosen dates, merge feature branches with
// --no-ff, make bare clones to use as file:// remotes. Reused by other areas' tests.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { simpleGit, type SimpleGit } from "simple-git";
import { gitProcessEnv } from "../../src/git/git-env.js";

export interface MergeOptions {
  /** Committer/author time of the feature branch's commit (default: one hour before the merge). */
  featureDate?: string;
  message?: string;
}

export interface GitFixture {
  /** The working repository (branch `main` unless created with another). */
  dir: string;
  /** simple-git on `dir` (no dates pinned). */
  git: SimpleGit;
  /** Writes a file (creating directories) in the working tree; not staged until commit(). */
  write(path: string, text: string | Uint8Array): Promise<void>;
  /** Deletes a file from the working tree; committed by the next commit(). */
  remove(path: string): Promise<void>;
  /** Stages everything and commits with author and committer time `isoDate`; returns the sha. */
  commit(message: string, isoDate: string): Promise<string>;
  /**
   * Creates branch `name` from the current branch, commits `files` there (null deletes a file), then merges it
   * into the current branch with --no-ff at `isoDate`. Returns both shas.
   */
  mergeBranch(
    name: string,
    isoDate: string,
    files: Record<string, string | null>,
    options?: MergeOptions,
  ): Promise<{ featureCommit: string; mergeCommit: string }>;
  /** The sha of a revision (default HEAD). */
  head(revision?: string): Promise<string>;
  /** A bare clone of the repository in a fresh temp directory (use `file://<path>` as a URL). */
  bareClone(): Promise<string>;
  /** Pushes the current branch (and tags) to a bare repository made by bareClone(). */
  push(bareDir: string): Promise<void>;
  /** A fresh empty temp directory, removed by cleanup() (e.g. a clone cache). */
  tempDir(): Promise<string>;
  /** Removes the repository and every bare clone and temp directory it made. */
  cleanup(): Promise<void>;
}

const identity = ["user.name=Grantops Test", "user.email=test@example.com", "commit.gpgsign=false"];

function gitAt(dir: string, isoDate?: string): SimpleGit {
  const dates = isoDate === undefined ? {} : { GIT_AUTHOR_DATE: isoDate, GIT_COMMITTER_DATE: isoDate };
  return simpleGit({
    baseDir: dir,
    config: identity,
    allowEnvironment: ["GIT_TERMINAL_PROMPT", "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"],
  }).env({ ...gitProcessEnv(), ...dates });
}

async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Creates an empty repository whose first branch is `branch` (default "main"). */
export async function createGitFixture(options: { branch?: string } = {}): Promise<GitFixture> {
  const dir = await tempDir("grantops-git-");
  const cleanups: string[] = [dir];
  await gitAt(dir).raw(["init", "--quiet", "-b", options.branch ?? "main"]);
  const fixture: GitFixture = {
    dir,
    git: gitAt(dir),
    async write(path, text) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    },
    async remove(path) {
      await rm(join(dir, path), { force: true });
    },
    async commit(message, isoDate) {
      const git = gitAt(dir, isoDate);
      await git.raw(["add", "-A"]);
      await git.raw(["commit", "--quiet", "--allow-empty", "-m", message]);
      return fixture.head();
    },
    async mergeBranch(name, isoDate, files, mergeOptions = {}) {
      const current = (await gitAt(dir).raw(["symbolic-ref", "--short", "HEAD"])).trim();
      await gitAt(dir).raw(["checkout", "--quiet", "-b", name]);
      for (const [path, text] of Object.entries(files)) {
        if (text === null) await fixture.remove(path);
        else await fixture.write(path, text);
      }
      const featureDate = mergeOptions.featureDate ?? new Date(Date.parse(isoDate) - 3_600_000).toISOString();
      const featureCommit = await fixture.commit(`feature ${name}`, featureDate);
      await gitAt(dir).raw(["checkout", "--quiet", current]);
      const message = mergeOptions.message ?? `Merge branch '${name}'`;
      await gitAt(dir, isoDate).raw(["merge", "--quiet", "--no-ff", "-m", message, name]);
      return { featureCommit, mergeCommit: await fixture.head() };
    },
    async head(revision = "HEAD") {
      return (await gitAt(dir).raw(["rev-parse", revision])).trim();
    },
    async bareClone() {
      const bare = await tempDir("grantops-bare-");
      cleanups.push(bare);
      await gitAt(bare).raw(["clone", "--quiet", "--bare", dir, bare]);
      return bare;
    },
    async push(bareDir) {
      await gitAt(dir).raw(["push", "--quiet", "--force", "--tags", bareDir, "HEAD"]);
    },
    async tempDir() {
      const made = await tempDir("grantops-tmp-");
      cleanups.push(made);
      return made;
    },
    async cleanup() {
      await Promise.all(cleanups.map((path) => rm(path, { recursive: true, force: true })));
    },
  };
  return fixture;
}
