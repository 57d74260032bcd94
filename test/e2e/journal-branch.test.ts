// End to end: the journal branch shared by two writers. A bare remote holds the grants; two separate clones are two
// writers running `apply` at once against one emulator; a third fresh clone audits the branch with no local journal.
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { simpleGit, type SimpleGit } from "simple-git";
import { afterEach, describe, expect, test } from "vitest";
import { readChain } from "../../src/core/journal/read-chain.js";
import { gitProcessEnv } from "../../src/git/git-env.js";
import { readJournalFiles } from "../../src/journal/read-journal-files.js";
import { createE2eWorld, grantYaml, T0, type E2eWorld } from "../helpers/e2e-world.js";

const people = ["alice", "bob", "carol", "dave", "erin"];
const resources = ["Jira", "Wiki", "Grafana", "Jira", "Wiki"];
const grants = Object.fromEntries(
  people.map((name, i) => [
    `grants/team/${name}.yaml`,
    grantYaml({ users: [`${name}@example.com`], resources: [resources[i]!], duration: "2h" }),
  ]),
);
const hour = 3600;

let world: E2eWorld;
afterEach(async () => {
  await world?.close();
});

function git(dir: string): SimpleGit {
  return simpleGit({
    baseDir: dir,
    config: ["user.name=Auditor Test", "user.email=auditor@example.com", "commit.gpgsign=false"],
    allowEnvironment: ["GIT_TERMINAL_PROMPT"],
  }).env(gitProcessEnv());
}

interface Writer {
  clone: string;
  home: string;
  wal: string;
}

/** A separate clone of the bare remote and its own working directory (its own local journal). */
async function writer(bare: string): Promise<Writer> {
  const clone = await world.repo.tempDir();
  await git(clone).raw(["clone", "--quiet", bare, clone]);
  const home = await world.repo.tempDir();
  return { clone, home, wal: join(home, ".grantops", "journal.jsonl") };
}

function apply(w: Writer) {
  return world.cli(["apply", "--trust-git", "--repo", w.clone], { cwd: w.home });
}

async function branchOf(bare: string) {
  const tip = (await git(bare).raw(["rev-parse", "refs/heads/grantops-journal"])).trim();
  return readChain(await readJournalFiles(bare, tip));
}

async function walIds(w: Writer): Promise<string[]> {
  const text = await readFile(w.wal, "utf8");
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => (JSON.parse(line) as { id: string }).id);
}

async function setUp() {
  world = await createE2eWorld({ grants });
  const bare = await world.repo.bareClone();
  return { bare, a: await writer(bare), b: await writer(bare) };
}

describe("the journal branch, shared by two writers", () => {
  test("two apply runs at once: every entry of both, one valid chain, no duplicate create; audit --repo agrees", async () => {
    const { bare, a, b } = await setUp();
    const [runA, runB] = await Promise.all([apply(a), apply(b)]);
    expect(runA.code, runA.stderr).toBe(0);
    expect(runB.code, runB.stderr).toBe(0);
    expect(world.managed()).toHaveLength(5);

    world.advance(3 * hour); // every grant expired: the next run of each writer deletes what is left
    const [laterA, laterB] = await Promise.all([apply(a), apply(b)]);
    expect(laterA.code, laterA.stderr).toBe(0);
    expect(laterB.code, laterB.stderr).toBe(0);
    expect(world.managed()).toHaveLength(0);

    const chain = await branchOf(bare);
    expect(chain.broken).toBeNull();
    const ids = chain.entries.map((entry) => entry["id"]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set([...(await walIds(a)), ...(await walIds(b))]));
    const creates = chain.entries.filter((e) => e["action"] === "create" && e["outcome"] === "ok");
    expect(creates).toHaveLength(5);
    expect(new Set(creates.map((e) => e["ruleId"])).size).toBe(5);
    expect(new Set(chain.entries.map((e) => e["run"])).size).toBeGreaterThanOrEqual(2);

    // A third fresh clone, no local journal: the audit reads the branch of the remote.
    const auditor = await world.repo.tempDir();
    await git(auditor).raw(["clone", "--quiet", bare, auditor]);
    const audit = await world.cli(["audit", "--repo", `file://${bare}`, "--format", "json"], {
      cwd: auditor,
      env: { GRANTOPS_REPO: undefined },
    });
    expect(audit.code, audit.stderr).toBe(0);
    expect(audit.stderr).not.toContain("warning");
    const intervals = (JSON.parse(audit.stdout) as { intervals: Array<Record<string, unknown>> }).intervals;
    expect(intervals).toHaveLength(5);
    for (const interval of intervals) {
      expect(interval).toMatchObject({ endedBy: "expired", notes: [] });
      const created = creates.find((e) => e["ruleId"] === interval["ruleId"]);
      expect(interval["from"]).toBe(created!["time"]);
    }
    const fromWriters = await world.cli(["audit", "--journal", a.wal, "--format", "json"], { cwd: a.home });
    const own = (JSON.parse(fromWriters.stdout) as { intervals: Array<Record<string, unknown>> }).intervals;
    for (const interval of own) {
      const same = intervals.find((i) => i["ruleId"] === interval["ruleId"]);
      expect(same).toMatchObject({ ruleId: interval["ruleId"], grantId: interval["grantId"] });
    }

    const verify = await world.cli(["audit", "--verify", "--repo", bare], { cwd: auditor });
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toContain(`journal chain intact: ${ids.length} entries`);
  });

  test("a publish that fails after the vendor writes exits 6 and loses nothing: the next run publishes it", async () => {
    const { bare, a } = await setUp();
    await git(a.clone).raw(["remote", "set-url", "origin", join(bare, "gone")]);
    const failed = await apply(a);
    expect(failed.code).toBe(6);
    expect(failed.stderr).toMatch(/5 journal entries not published to grantops-journal/);
    expect(world.managed()).toHaveLength(5);
    await git(a.clone).raw(["remote", "set-url", "origin", bare]);

    world.advance(60); // nothing to do now: the run only publishes the leftovers
    const next = await apply(a);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain("5 entries published to grantops-journal");
    const chain = await branchOf(bare);
    expect(chain.broken).toBeNull();
    expect(chain.entries.map((e) => e["id"])).toEqual(await walIds(a));
  });

  test("an edited or deleted middle line of the branch: audit --verify exits non-zero naming that line", async () => {
    const { bare, a } = await setUp();
    expect((await apply(a)).code).toBe(0);
    const month = `journal/${T0.slice(0, 7)}.jsonl`;
    const tamper = await world.repo.tempDir();
    await git(tamper).raw(["clone", "--quiet", "--branch", "grantops-journal", bare, tamper]);
    const original = await readFile(join(tamper, month), "utf8");

    const rewrite = async (lines: string[]) => {
      await mkdir(join(tamper, "journal"), { recursive: true });
      const { writeFile } = await import("node:fs/promises");
      await writeFile(join(tamper, month), `${lines.join("\n")}\n`);
      await git(tamper).raw(["commit", "--quiet", "-am", "tamper"]);
      await git(tamper).raw(["push", "--quiet", "--force", "origin", "grantops-journal"]);
    };
    const lines = original.trimEnd().split("\n");
    expect(lines).toHaveLength(5);

    await rewrite(
      lines.map((line, i) => (i === 2 ? line.replace('"outcome":"ok"', '"outcome":"failed"') : line)),
    );
    const edited = await world.cli(["audit", "--verify", "--repo", `file://${bare}`], { cwd: tamper });
    expect(edited.code).not.toBe(0);
    expect(edited.stderr).toContain(`${month}:3`);
    const listed = await world.cli(["audit", "--repo", `file://${bare}`], { cwd: tamper });
    expect(listed.code).toBe(0);
    expect(listed.stderr).toContain(`hash chain is broken at ${month}:3`);

    await rewrite(lines.filter((_, i) => i !== 3));
    const deleted = await world.cli(["audit", "--verify", "--repo", `file://${bare}`], { cwd: tamper });
    expect(deleted.code).not.toBe(0);
    expect(deleted.stderr).toContain(`${month}:4`);
  });
});
