// The --open-pr and --remote options of `grantops request`, `revoke` and `extend`: the local checks before
// anything is written, then the branch, the push and the pull request (src/open-pr).
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { InvalidInputError } from "../core/model/grantops-error.js";
import { createOctokit } from "../github/create-octokit.js";
import { readGitHubConfig } from "../github/read-github-config.js";
import { repositoryOfRemoteUrl } from "../github/repository-of-remote-url.js";
import { checkLocalRepository, type LocalRepository } from "../open-pr/check-local-repository.js";
import type { GitHubRepository } from "../open-pr/create-pull-request.js";
import {
  openChangePullRequest,
  type ChangeProposal,
  type OpenedChange,
} from "../open-pr/open-change-pull-request.js";
import { commandLogger } from "./build-reconcile-deps.js";
import type { CliContext } from "./cli-context.js";

export interface OpenPrFlags {
  openPr?: boolean;
  remote: string;
}

/** A local repository ready for the change, and the GitHub repository the pull request goes to. */
export interface OpenPrSession {
  local: LocalRepository;
  github: GitHubRepository;
}

export function addOpenPrOptions(command: Command): Command {
  return command
    .option(
      "--open-pr",
      "commit the change on a new branch (grantops/<command>/<id>) from HEAD, push it and open the pull request " +
        "against the default branch; the working tree is left as it is. Refused (exit 4, nothing pushed) when " +
        "grants/ or the policy has uncommitted changes, HEAD has commits not on <remote>/<default branch>, or " +
        "git has no user.name/user.email (or GIT_AUTHOR_*/GIT_COMMITTER_*) for the commit; no pre-commit or " +
        "commit-msg hook runs (the pull request's CI checks the change). " +
        "Needs GitHub: GRANTOPS_GITHUB_TOKEN or the GitHub App settings; the repository from " +
        "GRANTOPS_GITHUB_REPOSITORY, else GITHUB_REPOSITORY, else the remote's GitHub URL",
    )
    .option("--remote <name>", "the git remote to push to with --open-pr", "origin");
}

/**
 * With --open-pr, checks what must hold before anything is written (exit 4 otherwise): a git repository whose
 * grants/ and policy have no uncommitted change, the remote, GitHub settings. Null without --open-pr.
 */
export async function prepareOpenPr(
  ctx: CliContext,
  repo: string,
  flags: OpenPrFlags,
  policyPath: string,
): Promise<OpenPrSession | null> {
  if (flags.openPr !== true) return null;
  const local = await checkLocalRepository(repo, {
    remote: flags.remote,
    paths: ["grants", policyPath],
    env: ctx.env,
  });
  const env = { ...ctx.env };
  const inferred = repositoryOfRemoteUrl(local.remoteUrl);
  if (!env["GRANTOPS_GITHUB_REPOSITORY"]?.trim() && !env["GITHUB_REPOSITORY"]?.trim() && inferred !== null)
    env["GRANTOPS_GITHUB_REPOSITORY"] = inferred;
  const config = readGitHubConfig(env, (path) => readFileSync(path, "utf8"));
  if (config === null)
    throw new InvalidInputError(
      "github-not-configured",
      "--open-pr needs GitHub: set GRANTOPS_GITHUB_TOKEN (or the GitHub App settings) and, unless the remote is " +
        "a github URL, GRANTOPS_GITHUB_REPOSITORY=owner/name; nothing was written",
    );
  const logger = commandLogger(ctx).child({ component: "github" });
  const octokit = createOctokit({ ...config, logger, fetch: ctx.fetch });
  return { local, github: { octokit, owner: config.owner, repo: config.repo } };
}

/** Opens the pull request of the change and prints what was done. */
export async function finishOpenPr(
  ctx: CliContext,
  session: OpenPrSession,
  proposal: ChangeProposal,
): Promise<OpenedChange> {
  const opened = await openChangePullRequest(session.local, session.github, proposal);
  ctx.stdout(
    [
      `committed ${proposal.path} on branch ${opened.branch} (commit ${opened.commit.slice(0, 12)}; your working tree is unchanged)`,
      `pushed ${opened.branch} to ${session.local.remote}`,
      `opened pull request #${opened.pullRequest.number} against ${opened.base}: ${opened.pullRequest.url}`,
      "",
    ].join("\n"),
  );
  return opened;
}
