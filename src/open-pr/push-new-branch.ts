// The branch of a change: a name not taken here nor on the remote (`grantops/request/erin-wiki`, then `-2`, …),
// created at the change's commit and pushed (without force) with its upstream set.
import { createGit, type GitFactory } from "../git/git-env.js";
import { GitError } from "../git/git-error.js";
import { commitOf } from "../git/resolve-ref.js";
import type { LocalRepository } from "./check-local-repository.js";

const MAX_SUFFIX = 100;

/** Creates and pushes the branch; on a failed push the local branch is removed again. Returns its name. */
export async function pushNewBranch(
  local: LocalRepository,
  change: { branch: string; commit: string },
  git: GitFactory = createGit,
): Promise<string> {
  const name = await freeName(local, change.branch, git);
  await git(local.dir).raw(["branch", "--no-track", name, change.commit]);
  try {
    await git(local.dir).raw([
      "push",
      "--quiet",
      "-u",
      local.remote,
      `refs/heads/${name}:refs/heads/${name}`,
    ]);
  } catch (error) {
    await git(local.dir)
      .raw(["branch", "-D", name])
      .catch(() => undefined);
    const detail = error instanceof Error ? error.message.trim() : String(error);
    throw new GitError(
      "push-failed",
      `git push ${local.remote} ${name} failed (nothing was pushed): ${detail}`,
    );
  }
  return name;
}

async function freeName(local: LocalRepository, base: string, git: GitFactory): Promise<string> {
  // Asked of the URL pushed to (a remote may fetch from elsewhere).
  const pushUrl = (await git(local.dir).raw(["remote", "get-url", "--push", "--", local.remote])).trim();
  for (let n = 1; n <= MAX_SUFFIX; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    if ((await commitOf(git(local.dir), `refs/heads/${name}`)) !== null) continue;
    const remote = await git(local.dir)
      .raw(["ls-remote", "--heads", pushUrl, `refs/heads/${name}`])
      .catch((error: unknown) => {
        const detail = error instanceof Error ? error.message.trim() : String(error);
        throw new GitError("remote-unreadable", `git ls-remote ${local.remote} failed: ${detail}`);
      });
    if (remote.trim() === "") return name;
  }
  throw new GitError("branch-names-taken", `branches ${base} to ${base}-${MAX_SUFFIX} all exist`);
}
