import { constants, type Dirent } from "node:fs";
import { lstat, open, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { InvalidInputError } from "../core/model/grantops-error.js";
import { MAX_FILE_BYTES } from "./parse-yaml-file.js";
import { RepositoryFiles } from "../core/model/repository-files.js";
import { DEFAULT_POLICY_PATH } from "./validate-repository.js";

/**
 * Reads a grants repository from disk as `plan` reads it from a commit: the policy file and every file under grants/
 * outside grants/expired/ (validation reports the ones that are not grant files), keyed by repository-relative path
 * with forward slashes. Only regular files are read: a symbolic link (or a socket, a device...) is recorded as
 * irregular at its own path and what it points to is never opened. Files over 64 KiB are read only up to just past
 * the limit (validation reports them).
 */
export async function readDirectoryFiles(
  dir: string,
  options: { policyPath?: string } = {},
): Promise<RepositoryFiles> {
  const root = path.resolve(dir);
  await assertDirectory(root);
  const files = new RepositoryFiles();
  const policyPath = toPosix(options.policyPath ?? DEFAULT_POLICY_PATH);
  await readEntry(root, policyPath, files);
  const grants = await lstat(path.join(root, "grants")).catch(() => null);
  if (grants?.isSymbolicLink()) files.irregular.set("grants", "a symbolic link");
  else if (grants?.isDirectory()) await walk(root, "grants", files);
  return files;
}

async function assertDirectory(root: string): Promise<void> {
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory())
    throw new InvalidInputError("repo-not-found", `repository directory ${root} does not exist`);
}

async function walk(root: string, relative: string, files: RepositoryFiles): Promise<void> {
  const entries: Dirent[] = await readdir(path.join(root, relative), { withFileTypes: true }).catch(() => []);
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const child = `${relative}/${entry.name}`;
    if (child === "grants/expired") continue;
    if (entry.isDirectory()) await walk(root, child, files);
    else await readEntry(root, child, files);
  }
}

/** Reads `relative` when it is a regular file; records it as irregular when it exists as anything else. */
async function readEntry(root: string, relative: string, files: RepositoryFiles): Promise<void> {
  const file = path.resolve(root, relative);
  const info = await lstat(file).catch(() => null);
  if (info === null) return;
  if (info.isSymbolicLink()) files.irregular.set(relative, "a symbolic link");
  else if (!info.isFile()) {
    if (!info.isDirectory()) files.irregular.set(relative, "not a regular file");
  } else files.set(relative, await readLimited(file));
}

/** At most MAX_FILE_BYTES + 1 bytes of a regular file; O_NOFOLLOW: a link swapped in after lstat is not followed. */
async function readLimited(file: string): Promise<Uint8Array> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const info = await handle.stat();
    if (!info.isFile()) return new Uint8Array();
    const buffer = new Uint8Array(Math.min(info.size, MAX_FILE_BYTES + 1));
    const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function toPosix(file: string): string {
  return path.posix.normalize(file.split(path.sep).join("/")).replace(/^\.\//, "");
}
