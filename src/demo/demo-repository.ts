import { cp, mkdtemp, writeFile, rm, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createGit } from "../git/git-env.js";

/** The package root: two levels up from src/demo/ and from dist/demo/. */
const packageRoot = fileURLToPath(new URL("../../", import.meta.url));

const identity = [
  "-c",
  "user.name=grantops demo",
  "-c",
  "user.email=demo@example.com",
  "-c",
  "commit.gpgsign=false",
];

export interface DemoRepository {
  dir: string;
  /** Commits every change in the working tree with this message; returns the new commit sha. */
  commit(message: string): Promise<string>;
  write(path: string, text: string): Promise<void>;
  remove(path: string): Promise<void>;
  cleanup(): Promise<void>;
}

/** A temporary git repository (branch main) holding this package's example policy and grants. */
export async function createDemoRepository(): Promise<DemoRepository> {
  const dir = await mkdtemp(join(tmpdir(), "grantops-demo-"));
  const git = createGit(dir);
  await git.raw(["init", "-q", "-b", "main"]);
  await cp(join(packageRoot, "grants"), join(dir, "grants"), { recursive: true });
  await cp(join(packageRoot, "policy.yaml"), join(dir, "policy.yaml"));
  await writeFile(join(dir, ".gitignore"), ".grantops/\n");
  return {
    dir,
    commit: async (message) => {
      await git.raw(["add", "-A"]);
      await git.raw([...identity, "commit", "-q", "-m", message]);
      return (await git.revparse(["HEAD"])).trim();
    },
    write: async (path, text) => {
      await mkdir(join(dir, path, ".."), { recursive: true });
      await writeFile(join(dir, path), text);
    },
    remove: (path) => rm(join(dir, path)),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
