// git commands that read their input from stdin (hash-object --stdin, mktree): simple-git cannot feed stdin, so
// these spawn git directly, with the same environment as every other git call (src/git/git-env.ts).
import { spawn } from "node:child_process";
import { gitProcessEnv } from "../git/git-env.js";
import { GitError } from "../git/git-error.js";

/** Runs `git <args>` in `dir` with `input` on stdin; resolves with stdout (trimmed), rejects with a GitError. */
export function runGitWithInput(
  dir: string,
  args: readonly string[],
  input: string | Buffer,
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("git", args, { cwd: dir, env: gitProcessEnv(), stdio: "pipe" });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.stdin.on("error", () => undefined);
    child.on("error", (error) => reject(new GitError("git-failed", `git ${args[0]}: ${error.message}`)));
    child.on("close", (code) => {
      if (code === 0) resolvePromise(Buffer.concat(out).toString("utf8").trim());
      else {
        const detail = Buffer.concat(err).toString("utf8").trim();
        reject(new GitError("git-failed", `git ${args[0]} exited ${code}: ${detail}`));
      }
    });
    child.stdin.end(input);
  });
}
