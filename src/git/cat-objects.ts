// `git cat-file --batch` for object names such as "<sha>", "<commit>" or "<commit>:grants/x.yaml", answered in
// input order with null for a missing object. simple-git buffers output as text and cannot stream a request list
// into stdin while reading binary output, so this one call spawns git directly, with simple-git's environment.
import { spawn } from "node:child_process";
import { gitProcessEnv } from "./git-env.js";
import { GitError } from "./git-error.js";

export interface GitObject {
  type: string;
  bytes: Buffer;
}

/** The objects named by `names` (no newlines in a name), in the same order; null where git has none. */
export async function catObjects(dir: string, names: readonly string[]): Promise<Array<GitObject | null>> {
  if (names.length === 0) return [];
  if (names.some((name) => /[\r\n]/.test(name))) {
    throw new GitError("git-bad-name", "object names must not contain line breaks");
  }
  const output = await runBatch(dir, `${names.join("\n")}\n`);
  return parseObjects(output, names.length);
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

/** Parses `expected` records: "<sha> <type> <size>\n<bytes>\n", or "<name> missing|ambiguous\n". */
export function parseObjects(output: Buffer, expected: number): Array<GitObject | null> {
  const objects: Array<GitObject | null> = [];
  let offset = 0;
  while (objects.length < expected) {
    const newline = output.indexOf(0x0a, offset);
    if (newline < 0) throw new GitError("git-failed", "git cat-file answered fewer objects than asked");
    const header = output.subarray(offset, newline).toString("latin1").split(" ");
    offset = newline + 1;
    const size = Number(header[2]);
    if (header.length !== 3 || !Number.isSafeInteger(size)) {
      objects.push(null);
      continue;
    }
    objects.push({ type: header[1] ?? "", bytes: output.subarray(offset, offset + size) });
    offset += size + 1;
  }
  return objects;
}
