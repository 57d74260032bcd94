// End to end: a writer killed (SIGKILL, with its git push) after its vendor write and before its journal entries
// reached the journal branch loses nothing: the entry is in its local write-ahead file, and the next run publishes it.
import { spawn } from "node:child_process";
import { chmod, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { simpleGit } from "simple-git";
import { afterEach, expect, test } from "vitest";
import { readChain } from "../../src/core/journal/read-chain.js";
import { gitProcessEnv } from "../../src/git/git-env.js";
import { readJournalFiles } from "../../src/journal/read-journal-files.js";
import { createE2eWorld, grantYaml, packageRoot, type E2eWorld } from "../helpers/e2e-world.js";

let world: E2eWorld | undefined;
afterEach(async () => {
  await world?.close();
});

const git = (dir: string) =>
  simpleGit({ baseDir: dir, config: [], allowEnvironment: ["GIT_TERMINAL_PROMPT"] }).env(gitProcessEnv());

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test("kill -9 between the vendor write and the publish: the next run publishes the entry", async () => {
  const w = await createE2eWorld();
  world = w;
  // The child runs on the real clock: land the grant a minute ago.
  await w.commit(
    {
      "grants/t/alice.yaml": grantYaml({ users: ["alice@example.com"], resources: ["Jira"], duration: "2h" }),
    },
    new Date(Date.now() - 60_000).toISOString(),
  );
  const bare = await w.repo.bareClone();
  const clone = await w.repo.tempDir();
  await git(clone).raw(["clone", "--quiet", bare, clone]);
  const home = await w.repo.tempDir();
  const wal = join(home, ".grantops", "journal.jsonl");
  // The remote takes 60 s to accept a push: the writer is killed while its publish is under way.
  const hook = join(bare, "hooks", "pre-receive");
  await writeFile(hook, "#!/bin/sh\nsleep 60\n");
  await chmod(hook, 0o755);

  const child = spawn(
    process.execPath,
    [join(packageRoot, "bin", "grantops.js"), "apply", "--trust-git", "--repo", clone],
    { cwd: home, env: { PATH: process.env["PATH"] ?? "", ...w.env }, detached: true, stdio: "ignore" },
  );
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (_code, signal) => resolve(signal ? -1 : _code)),
  );
  const walCreate = async (): Promise<boolean> =>
    (await readFile(wal, "utf8").catch(() => "")).includes('"action":"create"');
  await until(
    async () => w.managed().length === 1 && (await walCreate()),
    "the rule and its local journal line",
  );
  await new Promise((resolve) => setTimeout(resolve, 500)); // into the publish (the push waits on the hook)
  process.kill(-child.pid!, "SIGKILL"); // the writer and its git push
  expect(await exited).toBe(-1);
  const before = (await git(bare).raw(["branch", "--list", "grantops-journal"])).trim();
  expect(before, "nothing reached the branch before the kill").toBe("");

  await rm(hook);
  w.setNow(new Date());
  const next = await w.cli(["apply", "--trust-git", "--repo", clone], { cwd: home });
  expect(next.code, next.stderr).toBe(0);
  const walIds = (await readFile(wal, "utf8"))
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => (JSON.parse(line) as { id: string; action: string }).id);
  const tip = (await git(bare).raw(["rev-parse", "refs/heads/grantops-journal"])).trim();
  const chain = readChain(await readJournalFiles(bare, tip));
  expect(chain.broken).toBeNull();
  expect(chain.entries.map((entry) => entry["id"])).toEqual(walIds);
  expect(
    chain.entries.filter((entry) => entry["action"] === "create" && entry["outcome"] === "ok"),
  ).toHaveLength(1);
}, 60_000);
