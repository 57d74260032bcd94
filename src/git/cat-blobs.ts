// simple-git buffers output as text and cannot stream a request list into stdin while reading binary output,
// so this single `git cat-file --batch` call uses node:child_process directly (same environment as simple-git).
import { spawn } from "node:child_process";
import { gitProcessEnv } from "./git-env.js";
import { GitError } from "./git-error.js";

/** Reads many blobs in one `git cat-file --batch` process; returns their bytes by sha. */
export async function catBlobs(dir: string, shas: readonly string[]): Promise<Map<string, Uint8Array>> {
  const unique = [...new Set(shas)];
  if (unique.length === 0) return new Map();
  const output = await runBatch(dir, `${unique.join("\n")}\n`);
  return parseBatch(output, unique.length);
}

function runBatch(dir: string, input: string): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("git", ["cat-file", "--batch"], { cwd: dir, env: gitProcessEnv(), stdio: "pipe" });
    const chunks: Buffer[] = [];
    const errors: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => errors.push(chunk));
    child.stdin.on("error", () => undefined);
    child.on("error", (error) => reject(new GitError("git-failed", `git cat-file: ${error.message}`)));
    child.on("close", (code) => {
      if (code === 0) resolvePromise(Buffer.concat(chunks));
      else
        reject(
          new GitError("git-failed", `git cat-file exited ${code}: ${Buffer.concat(errors).toString()}`),
        );
    });
    child.stdin.end(input);
  });
}

/** Parses "<sha> <type> <size>\n<bytes>\n" records (or "<sha> missing\n"). */
export function parseBatch(output: Buffer, expected: number): Map<string, Uint8Array> {
  const blobs = new Map<string, Uint8Array>();
  let offset = 0;
  for (let index = 0; index < expected && offset < output.length; index++) {
    const newline = output.indexOf(0x0a, offset);
    if (newline < 0) break;
    const [sha, type, size] = output.subarray(offset, newline).toString("latin1").split(" ");
    offset = newline + 1;
    if (sha === undefined || type === "missing" || size === undefined) continue;
    const length = Number(size);
    blobs.set(sha, new Uint8Array(output.subarray(offset, offset + length)));
    offset += length + 1;
  }
  return blobs;
}
