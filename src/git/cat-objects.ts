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
  const objects: Array<GitObject | null> = [];
  await eachObject(dir, names, (_, object) => {
    objects.push(object === null ? null : { type: object.type, bytes: Buffer.from(object.bytes) });
  });
  return objects;
}

/**
 * Hands each object named by `names` to `each` as git answers it, in order (null where git has none), without
 * ever holding the whole output: the bytes are a view valid only during the call (copy them to keep them).
 * When `each` throws, git is stopped and the promise rejects with that error.
 */
export async function eachObject(
  dir: string,
  names: readonly string[],
  each: (index: number, object: GitObject | null) => void,
): Promise<void> {
  if (names.length === 0) return;
  if (names.some((name) => /[\r\n]/.test(name))) {
    throw new GitError("git-bad-name", "object names must not contain line breaks");
  }
  await runBatch(dir, `${names.join("\n")}\n`, createBatchReader(names.length, each));
}

interface BatchReader {
  push(chunk: Buffer): void;
  /** True once every object asked for was answered. */
  complete(): boolean;
}

/** Parses records "<sha> <type> <size>\n<bytes>\n" or "<name> missing|ambiguous\n" as chunks arrive. */
function createBatchReader(
  expected: number,
  each: (index: number, object: GitObject | null) => void,
): BatchReader {
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let needed = 1;
  let index = 0;
  return {
    complete: () => index === expected,
    push(chunk) {
      pending.push(chunk);
      pendingLength += chunk.length;
      if (pendingLength < needed) return;
      const buffer = pending.length === 1 ? chunk : Buffer.concat(pending, pendingLength);
      let offset = 0;
      needed = 1;
      while (index < expected) {
        const newline = buffer.indexOf(0x0a, offset);
        if (newline < 0) break;
        const header = buffer.subarray(offset, newline).toString("latin1").split(" ");
        const size = Number(header[2]);
        if (header.length !== 3 || !Number.isSafeInteger(size)) {
          each(index++, null);
          offset = newline + 1;
          continue;
        }
        const end = newline + 1 + size;
        if (buffer.length <= end) {
          needed = end + 1 - offset; // the whole record, its closing newline included
          break;
        }
        each(index++, { type: header[1] ?? "", bytes: buffer.subarray(newline + 1, end) });
        offset = end + 1;
      }
      const rest = buffer.subarray(offset);
      pending = rest.length > 0 ? [rest] : [];
      pendingLength = rest.length;
      if (needed <= pendingLength) needed = pendingLength + 1; // an incomplete header: wait for more
    },
  };
}

function runBatch(dir: string, input: string, reader: BatchReader): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("git", ["cat-file", "--batch", "--buffer"], {
      cwd: dir,
      env: gitProcessEnv(),
      stdio: "pipe",
    });
    const errors: Buffer[] = [];
    let failed: Error | null = null;
    child.stdout.on("data", (chunk: Buffer) => {
      if (failed !== null) return;
      try {
        reader.push(chunk);
      } catch (error) {
        failed = error instanceof Error ? error : new GitError("git-failed", "reading git's answer failed");
        child.kill();
      }
    });
    child.stderr.on("data", (chunk: Buffer) => errors.push(chunk));
    child.stdin.on("error", () => undefined);
    child.on("error", (error) => reject(new GitError("git-failed", `git cat-file: ${error.message}`)));
    child.on("close", (code) => {
      if (failed !== null) reject(failed);
      else if (code !== 0)
        reject(
          new GitError("git-failed", `git cat-file exited ${code}: ${Buffer.concat(errors).toString()}`),
        );
      else if (!reader.complete())
        reject(new GitError("git-failed", "git cat-file answered fewer objects than asked"));
      else resolvePromise();
    });
    child.stdin.end(input);
  });
}
