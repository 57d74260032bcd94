// Who the --open-pr commit is by: git's own settings (user.name/user.email, author.*/committer.*), or the
// GIT_AUTHOR_*/GIT_COMMITTER_* variables of the operator's environment, never an identity git guesses from the
// host name. git's environment drops GIT_* variables (src/git/git-env.ts), so those four are passed as `-c`
// settings of this commit alone. See the README, "Requesting access".
import { InvalidInputError } from "../core/model/grantops-error.js";
import { createGit, type GitFactory } from "../git/git-env.js";

/** The identity variables git reads, and the setting each one stands for. */
const IDENTITY_VARIABLES = [
  ["GIT_AUTHOR_NAME", "author.name"],
  ["GIT_AUTHOR_EMAIL", "author.email"],
  ["GIT_COMMITTER_NAME", "committer.name"],
  ["GIT_COMMITTER_EMAIL", "committer.email"],
] as const;

/**
 * The `-c` arguments the commit is made with; refuses (InvalidInputError, exit 4) when git has no explicit author
 * or committer, before anything is written.
 */
export async function readCommitIdentity(
  dir: string,
  env: Readonly<Record<string, string | undefined>>,
  git: GitFactory = createGit,
): Promise<string[]> {
  const settings = ["-c", "user.useConfigOnly=true"];
  for (const [variable, key] of IDENTITY_VARIABLES) {
    const value = env[variable];
    if (value !== undefined && value.trim() !== "") settings.push("-c", `${key}=${value}`);
  }
  for (const role of ["AUTHOR", "COMMITTER"]) {
    const failure = await git(dir)
      .raw([...settings, "var", `GIT_${role}_IDENT`])
      .then(() => null)
      .catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
    if (failure !== null) throw identityMissing(role.toLowerCase(), failure);
  }
  return settings;
}

function identityMissing(role: string, failure: string): InvalidInputError {
  const reason = /fatal: (.*)/.exec(failure)?.[1]?.trim() ?? "unknown identity";
  return new InvalidInputError(
    "git-identity-missing",
    `--open-pr: git does not know who the ${role} of the commit is (${reason}): set git config user.name and ` +
      `user.email (git config --global user.name "Your Name"; git config --global user.email you@example.com), ` +
      `or GIT_AUTHOR_NAME, GIT_AUTHOR_EMAIL, GIT_COMMITTER_NAME and GIT_COMMITTER_EMAIL; nothing was committed ` +
      `or pushed`,
  );
}
