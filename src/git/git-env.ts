import { simpleGit, type SimpleGit } from "simple-git";

/** Variables always set for git: stable, parseable output and never an interactive prompt. */
export const gitFixedEnv = { LC_ALL: "C", GIT_TERMINAL_PROMPT: "0" } as const;

/** GIT_* variables from the operator's environment that git may still see (ssh keys, credential helpers). */
export const gitInheritedEnv = ["GIT_SSH_COMMAND", "GIT_SSH", "GIT_ASKPASS"] as const;

/** Non-GIT_ variables simple-git refuses to pass (they make git run other programs); git gets none of them. */
const unsafeEnv = new Set(["EDITOR", "VISUAL", "PAGER", "PREFIX", "SSH_ASKPASS"]);

/** Creates a simple-git instance rooted at `dir`. Injectable so callers and tests can wrap or replace git. */
export type GitFactory = (dir: string) => SimpleGit;

/**
 * The environment for a git child process: the ambient one without any other GIT_* variable (a GIT_DIR left
 * over from a hook must not redirect us) and without editor/pager programs, plus LC_ALL=C and
 * GIT_TERMINAL_PROMPT=0.
 */
export function gitProcessEnv(ambient: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  const inherited: readonly string[] = gitInheritedEnv;
  for (const [key, value] of Object.entries(ambient)) {
    if (value === undefined) continue;
    if (key.startsWith("GIT_") && !inherited.includes(key)) continue;
    if (unsafeEnv.has(key.toUpperCase())) continue;
    env[key] = value;
  }
  return { ...env, ...gitFixedEnv };
}

/** The default GitFactory: simple-git with the fixed environment and no prompts. */
export const createGit: GitFactory = (dir) =>
  simpleGit({
    baseDir: dir,
    maxConcurrentProcesses: 4,
    allowEnvironment: ["GIT_TERMINAL_PROMPT", ...gitInheritedEnv],
    // The operator's own ssh command / askpass helper (from their environment) may reach a private remote.
    unsafe: { allowUnsafeSshCommand: true, allowUnsafeAskPass: true },
  }).env(gitProcessEnv());
