import { simpleGit } from "simple-git";
import { InvalidInputError } from "../core/model/grantops-error.js";

/**
 * Files that differ between `ref` and the working tree of `dir` (committed, staged, unstaged and untracked),
 * as paths relative to `dir` with forward slashes. `env` supplies PATH, HOME and the like to git;
 * LC_ALL=C and GIT_TERMINAL_PROMPT=0 are always set.
 */
export async function changedFilesSince(
  dir: string,
  ref: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Set<string>> {
  const git = simpleGit({ baseDir: dir, allowEnvironment: ["GIT_TERMINAL_PROMPT"] }).env({
    ...gitEnv(env),
    LC_ALL: "C",
    GIT_TERMINAL_PROMPT: "0",
  });
  if (ref.startsWith("-"))
    throw new InvalidInputError("bad-ref", `--changed-since ${ref}: not a git revision`);
  try {
    await git.raw(["rev-parse", "--verify", `${ref}^{commit}`]);
  } catch (error) {
    throw new InvalidInputError("bad-ref", `--changed-since ${ref}: not a commit in ${dir}`, {
      cause: error,
    });
  }
  const diff = await git.raw(["diff", "--name-only", "--no-renames", "--relative", "-z", ref, "--"]);
  const untracked = await git.raw(["ls-files", "--others", "--exclude-standard", "-z", "--", "."]);
  return new Set([...splitZ(diff), ...splitZ(untracked)]);
}

function splitZ(output: string): string[] {
  return output.split("\0").filter((entry) => entry.length > 0);
}

/** Variables git needs to find itself and its config; nothing else is passed (simple-git refuses EDITOR, PAGER, ...). */
const PASSED_ENV = ["PATH", "HOME", "XDG_CONFIG_HOME", "TMPDIR", "TMP", "TEMP", "SYSTEMROOT", "USERPROFILE"];

function gitEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const key of PASSED_ENV) {
    const value = env[key];
    if (value !== undefined) result[key] = value;
  }
  return result;
}
