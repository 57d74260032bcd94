// --open-pr of `grantops request`, `revoke` and `extend`: the change committed on a new branch (plumbing: the
// working tree is left as it is), pushed, and a pull request opened against the default branch. See the README,
// "Requesting access".
import { GrantopsError } from "../core/model/grantops-error.js";
import { errorMessage } from "../core/model/error-message.js";
import { createGit, type GitFactory } from "../git/git-env.js";
import { assertOnDefaultBranch, type LocalRepository } from "./check-local-repository.js";
import { commitFileChange } from "./commit-file-change.js";
import { createPullRequest, readRepositoryInfo, type GitHubRepository } from "./create-pull-request.js";
import { pushNewBranch } from "./push-new-branch.js";

export interface ChangeProposal {
  /** The branch name wanted (a suffix is added when it is taken). */
  branch: string;
  /** Repository path of the grant file and its new text (null: removed). */
  path: string;
  text: string | null;
  commitMessage: string;
  title: string;
  body: string;
}

export interface OpenedChange {
  branch: string;
  commit: string;
  base: string;
  pullRequest: { number: number; url: string };
}

/** The branch was pushed but GitHub did not open the pull request: says what exists and how to finish. */
export class PullRequestNotOpenedError extends GrantopsError {
  constructor(message: string, cause: unknown) {
    super("pull-request-not-opened", message, { cause });
    this.name = "PullRequestNotOpenedError";
  }
}

export async function openChangePullRequest(
  local: LocalRepository,
  github: GitHubRepository,
  proposal: ChangeProposal,
  git: GitFactory = createGit,
): Promise<OpenedChange> {
  const info = await readRepositoryInfo(github);
  await assertOnDefaultBranch(local, info.defaultBranch, git);
  const commit = await commitFileChange(
    local.dir,
    {
      parent: local.head,
      path: proposal.path,
      text: proposal.text,
      message: proposal.commitMessage,
      identity: local.identity,
    },
    git,
  );
  const branch = await pushNewBranch(local, { branch: proposal.branch, commit }, git);
  try {
    const pullRequest = await createPullRequest(github, {
      head: branch,
      base: info.defaultBranch,
      title: proposal.title,
      body: proposal.body,
    });
    return { branch, commit, base: info.defaultBranch, pullRequest };
  } catch (error) {
    const compare = `${info.htmlUrl}/compare/${info.defaultBranch}...${branch}?expand=1`;
    throw new PullRequestNotOpenedError(
      `the branch ${branch} (commit ${commit.slice(0, 12)}) was pushed to ${local.remote}, but no pull request ` +
        `was opened: ${errorMessage(error)}. To finish, open it at ${compare} ; or remove the branch ` +
        `(git push ${local.remote} --delete ${branch} && git branch -D ${branch}) and run the command again.`,
      error,
    );
  }
}
