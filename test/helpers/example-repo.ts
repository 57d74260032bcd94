// A copy of this repository's own policy.yaml and grants/ in a temporary folder, removed after each test.
import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Registers the clean-up with the calling test file and returns the factory of example repositories. */
export function useExampleRepos(prefix: string): () => Promise<string> {
  const temps: string[] = [];
  afterEach(async () => {
    await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), `grantops-${prefix}-`));
    temps.push(dir);
    await cp(path.join(root, "policy.yaml"), path.join(dir, "policy.yaml"));
    await cp(path.join(root, "grants"), path.join(dir, "grants"), { recursive: true });
    return dir;
  };
}
