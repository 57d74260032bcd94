// Before the first vendor write, prove that grantops can keep its record (the journal, the verification state):
// a run that cannot record what it does must not do it. See docs/plan-and-safety.md ("No silent loss of the record").
import { randomBytes } from "node:crypto";
import { mkdir, open, stat, unlink } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { InvalidInputError } from "../core/model/grantops-error.js";

/** Bytes written (then removed) next to the file: a full disk refuses them. */
const PROBE = Buffer.alloc(4096, 0x20);

/**
 * Throws InvalidInputError ("record-unwritable", exit 4) unless `path` can be appended to: it is a regular file
 * or does not exist yet, its directory exists or can be created, it opens for appending, and a probe file of
 * 4 KiB can be written (and is removed) beside it. `what` names the file in the message ("journal").
 */
export async function checkJournalWritable(path: string, what: string): Promise<void> {
  const file = resolve(path);
  const refuse = (why: string, cause?: unknown): never => {
    throw new InvalidInputError(
      "record-unwritable",
      `cannot write the ${what} ${path}: ${why}; nothing was changed (grantops refuses to act without its record)`,
      cause === undefined ? {} : { cause },
    );
  };
  const existing = await stat(file).catch((error: NodeJS.ErrnoException) =>
    error.code === "ENOENT" ? null : refuse(reason(error), error),
  );
  if (existing !== null && !existing.isFile()) {
    refuse(existing.isDirectory() ? "it is a directory" : "it is not a regular file");
  }
  await mkdir(dirname(file), { recursive: true }).catch((error: unknown) => refuse(reason(error), error));
  const handle = await open(file, "a").catch((error: unknown) => refuse(reason(error), error));
  await handle.close();
  await probe(file).catch((error: unknown) => refuse(reason(error), error));
}

async function probe(file: string): Promise<void> {
  const path = join(dirname(file), `.${basename(file)}.probe-${randomBytes(6).toString("hex")}`);
  const handle = await open(path, "wx");
  try {
    await handle.write(PROBE);
    await handle.sync();
  } finally {
    await handle.close();
    await unlink(path).catch(() => undefined);
  }
}

function reason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === "string" ? `${code} (${message})` : message;
}
