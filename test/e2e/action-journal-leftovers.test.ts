// The Action's apply against the emulator and a real bare git remote: a publish that fails leaves the entries in the
// runner's local journal (exit 6, saying the runner does not keep that file). A fresh runner without that file
// publishes nothing of them; a runner given the file back (what the workflows' actions/cache steps do) publishes
// them before its own work, once.
import { cp, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { simpleGit, type SimpleGit } from "simple-git";
import { afterEach, describe, expect, test } from "vitest";
import { actionInvocation } from "../../src/action/action-invocation.js";
import { readChain } from "../../src/core/journal/read-chain.js";
import { gitProcessEnv } from "../../src/git/git-env.js";
import { readJournalFiles } from "../../src/journal/read-journal-files.js";
import { createE2eWorld, grantYaml, type E2eWorld } from "../helpers/e2e-world.js";

const grants = Object.fromEntries(
  ["alice", "bob", "carol"].map((name) => [
    `grants/team/${name}.yaml`,
    grantYaml({ users: [`${name}@example.com`], resources: ["Wiki"], duration: "2h" }),
  ]),
);

let world: E2eWorld;
afterEach(async () => {
  await world?.close();
});

function git(dir: string): SimpleGit {
  return simpleGit({ baseDir: dir, allowEnvironment: ["GIT_TERMINAL_PROMPT"] }).env(gitProcessEnv());
}

/** One run of the Action's apply on a runner whose temporary folder is `runnerTemp`. */
async function actionApply(clone: string, runnerTemp: string) {
  const runner = {
    GITHUB_ACTIONS: "true",
    GITHUB_REPOSITORY: "acme/grants",
    GITHUB_RUN_ID: "7",
    RUNNER_TEMP: runnerTemp,
    INPUT_COMMAND: "apply",
    INPUT_REPOSITORY: clone,
    "INPUT_TRUST-GIT": "true",
    INPUT_JOURNAL: `${runnerTemp}/grantops-journal/journal.jsonl`,
  };
  const { args, env } = actionInvocation({ env: runner, event: {} });
  return world.cli(args, { env: { ...runner, ...env }, cwd: runnerTemp });
}

async function branchIds(bare: string): Promise<unknown[]> {
  const tip = (
    await git(bare)
      .raw(["rev-parse", "--verify", "--quiet", "refs/heads/grantops-journal"])
      .catch(() => "")
  ).trim();
  if (tip === "") return [];
  const chain = readChain(await readJournalFiles(bare, tip));
  expect(chain.broken).toBeNull();
  return chain.entries.map((entry) => entry["id"]);
}

describe("the Action's journal leftovers", () => {
  test("a failed publish exits 6; the next run publishes the entries when it gets the runner's journal back", async () => {
    world = await createE2eWorld({ grants });
    const bare = await world.repo.bareClone();
    const clone = await world.repo.tempDir();
    await git(clone).raw(["clone", "--quiet", bare, clone]);
    await git(clone).raw(["remote", "set-url", "origin", join(bare, "gone")]);

    const first = await world.repo.tempDir();
    const failed = await actionApply(clone, first);
    expect(failed.code, failed.stderr).toBe(6);
    expect(failed.stderr).toContain(
      `grantops: error: 3 journal entries not published to grantops-journal (kept in ${first}/grantops-journal/journal.jsonl, which this runner does not keep: the next run publishes them when the workflow restores that file`,
    );
    expect(world.managed()).toHaveLength(3);
    await git(clone).raw(["remote", "set-url", "origin", bare]);

    // A new runner without the file: the rules are in place, nothing to do, and the three entries stay unpublished.
    world.advance(60);
    const fresh = await actionApply(clone, await world.repo.tempDir());
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(await branchIds(bare)).toEqual([]);

    // A new runner given the first runner's journal folder (as actions/cache restores it): the leftovers go out.
    const second = await world.repo.tempDir();
    await mkdir(second, { recursive: true });
    await cp(join(first, "grantops-journal"), join(second, "grantops-journal"), { recursive: true });
    world.advance(60);
    const next = await actionApply(clone, second);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain("grantops: journal: 3 entries published to grantops-journal");
    const published = await branchIds(bare);
    expect(published).toHaveLength(3);

    // The run after that has nothing pending: the published mark came back with the file.
    const third = await world.repo.tempDir();
    await cp(join(second, "grantops-journal"), join(third, "grantops-journal"), { recursive: true });
    world.advance(60);
    const quiet = await actionApply(clone, third);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toContain("published");
    expect(await branchIds(bare)).toEqual(published);
  });
});
