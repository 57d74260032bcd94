import { open, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { InvalidInputError } from "../core/model/grantops-error.js";
import { MAX_FILE_BYTES } from "./parse-yaml-file.js";
import { DEFAULT_POLICY_PATH } from "./validate-repository.js";

/**
 * Reads a grants repository from disk: the policy file and every grants/**\/*.yaml|yml outside grants/expired/,
 * keyed by repository-relative path with forward slashes. Files over 64 KiB are read only up to just past the
 * limit (validation reports them). Symbolic links to directories are not followed.
 */
export async function readDirectoryFiles(
  dir: string,
  options: { policyPath?: string } = {},
): Promise<Map<string, Uint8Array>> {
  const root = path.resolve(dir);
  await assertDirectory(root);
  const files = new Map<string, Uint8Array>();
  const policyPath = toPosix(options.policyPath ?? DEFAULT_POLICY_PATH);
  const policy = await readLimited(path.resolve(root, policyPath));
  if (policy) files.set(policyPath, policy);
  for (const relative of await listGrantFiles(root)) {
    const bytes = await readLimited(path.join(root, relative));
    if (bytes) files.set(relative, bytes);
  }
  return files;
}

async function assertDirectory(root: string): Promise<void> {
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory())
    throw new InvalidInputError("repo-not-found", `repository directory ${root} does not exist`);
}

async function listGrantFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(path.join(root, relative), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (child !== "grants/expired") await walk(child);
      } else if (/\.ya?ml$/.test(entry.name) && (entry.isFile() || entry.isSymbolicLink())) {
        found.push(child);
      }
    }
  };
  await walk("grants");
  return found.sort();
}

/** The file's bytes (at most MAX_FILE_BYTES + 1), or null when it does not exist or is not a regular file. */
async function readLimited(file: string): Promise<Uint8Array | null> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return null;
  const handle = await open(file, "r");
  try {
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
