// The journal branch (docs/git-and-apply.md): publishing a 1,000-step run costs one push (plus one per conflict
// with another writer), and `grantops audit` / `audit --verify` over a 100,000-entry branch answer in seconds.
import { randomUUID } from "node:crypto";
import { appendFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleGit } from "simple-git";
import { runProgram } from "../src/cli/program.js";
import { commands } from "../src/cli/commands.js";
import { createGit, gitProcessEnv, type GitFactory } from "../src/git/git-env.js";
import { createJournal } from "../src/reconcile/journal.js";
import { createJournalPublisher } from "../src/journal/publish-journal.js";
import { resolveJournalTarget } from "../src/journal/journal-target.js";
import { createLogger } from "../src/observability/create-logger.js";
import type { JournalEntry } from "../src/core/model/journal-entry.js";

const logger = createLogger({ level: "silent" });

function step(i: number): JournalEntry {
  const create = i % 2 === 0;
  const ruleId = 700_000 + Math.floor(i / 2);
  const time = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    time,
    organization: "acme",
    grantId: `team/user-${ruleId}`,
    version: create ? "a".repeat(40) : null,
    commit: "b".repeat(40),
    ruleId,
    ruleName: `grantops-team-user-${ruleId}-3f9a1c`,
    action: create ? "create" : "delete",
    reason: create ? null : "expired",
    outcome: "ok",
    expiresAt: time,
    lagSeconds: create ? null : 1.2,
    ...(create
      ? {
          users: [`user-${ruleId}@example.com`],
          resources: ["Jira"],
          pr: 12,
          approval: "review",
          approvers: ["bob-gh"],
          breakGlass: false,
          requester: "alice-gh",
          why: "CHG-1: investigate failed payments import",
        }
      : {}),
  };
}

async function world(root: string): Promise<{ bare: string; clone: () => Promise<string> }> {
  const bare = join(root, "remote.git");
  const seed = join(root, "seed");
  const at = (dir: string) =>
    simpleGit({
      baseDir: dir,
      config: ["user.name=Bench", "user.email=bench@example.com", "commit.gpgsign=false"],
      allowEnvironment: ["GIT_TERMINAL_PROMPT"],
    }).env(gitProcessEnv());
  const git = at(root);
  await git.raw(["init", "--quiet", "-b", "main", seed]);
  await writeFile(join(seed, "policy.yaml"), "version: 1\n");
  await at(seed).raw(["add", "-A"]);
  await at(seed).raw(["commit", "--quiet", "-m", "grants"]);
  await git.raw(["clone", "--quiet", "--bare", seed, bare]);
  let n = 0;
  return {
    bare,
    clone: async () => {
      const dir = join(root, `clone-${++n}`);
      await git.raw(["clone", "--quiet", bare, dir]);
      return dir;
    },
  };
}

function counting(count: { pushes: number }): GitFactory {
  return (dir) => {
    const git = createGit(dir);
    const raw = git.raw.bind(git);
    return Object.assign(git, {
      raw: (args: string[]) => {
        if (args[0] === "push") count.pushes++;
        return raw(args);
      },
    });
  };
}

async function writeAhead(path: string, from: number, count: number): Promise<void> {
  const journal = createJournal(path, { writer: "bench", run: "bench" });
  for (let i = from; i < from + count; i++) await journal.record(step(i));
}

/** The same lines as writeAhead, written in one go (building a large branch is not what is measured). */
async function writeAheadFast(path: string, from: number, count: number): Promise<void> {
  const lines: string[] = [];
  for (let i = from; i < from + count; i++) {
    lines.push(JSON.stringify({ id: randomUUID(), ...step(i), writer: "bench", run: "bench" }));
  }
  await appendFile(path, `${lines.join("\n")}\n`);
}

function publisher(repo: string, wal: string, git: GitFactory) {
  return createJournalPublisher({
    journalPath: wal,
    target: () =>
      resolveJournalTarget({
        repo,
        cacheDir: join(repo, ".cache"),
        cwd: repo,
        branch: "grantops-journal",
        git,
      }),
    logger,
    git,
    minRetryMs: 20,
  });
}

async function cliSeconds(
  args: string[],
  cwd: string,
): Promise<{ seconds: number; code: number; out: string }> {
  let out = "";
  const started = performance.now();
  const code = await runProgram(
    {
      env: { GRANTOPS_LOG_LEVEL: "silent" },
      cwd,
      stdout: (text) => {
        out += text;
      },
      stderr: (text) => {
        out += text;
      },
      clock: () => new Date(Date.UTC(2026, 2, 11)),
      fetch: globalThis.fetch,
      signal: new AbortController().signal,
    },
    ["node", "grantops", ...args],
    commands,
  );
  return { seconds: (performance.now() - started) / 1000, code, out };
}

export async function runJournalBench(): Promise<Record<string, string | number>> {
  const root = await mkdtemp(join(tmpdir(), "grantops-journal-bench-"));
  try {
    const figures: Record<string, string | number> = {};
    const { bare, clone } = await world(root);

    // One writer, a 1,000-step run: one push.
    const one = { pushes: 0 };
    const walOne = join(root, "one.jsonl");
    await writeAhead(walOne, 0, 1000);
    let started = performance.now();
    const single = await publisher(await clone(), walOne, counting(one)).publish();
    figures["journal: entries published by a 1,000-step run"] = single.published;
    figures["journal: pushes to publish a 1,000-step run (target = 1)"] = one.pushes;
    figures["journal: publish time of a 1,000-step run (ms)"] = Math.round(performance.now() - started);

    // Two writers publishing 1,000 entries each at the same moment: a conflict costs one more push.
    const two = { pushes: 0 };
    const [walA, walB] = [join(root, "a.jsonl"), join(root, "b.jsonl")];
    await writeAhead(walA, 1000, 1000);
    await writeAhead(walB, 2000, 1000);
    const [dirA, dirB] = [await clone(), await clone()];
    started = performance.now();
    const both = await Promise.all([
      publisher(dirA, walA, counting(two)).publish(),
      publisher(dirB, walB, counting(two)).publish(),
    ]);
    figures["journal: pushes for two concurrent 1,000-step publishes (target <= 3)"] = two.pushes;
    figures["journal: entries published by the two writers"] = both[0].published + both[1].published;
    figures["journal: two concurrent publishes (ms)"] = Math.round(performance.now() - started);

    // A 100,000-entry branch: published in one go, then audited and verified by a fresh reader.
    const walBig = join(root, "big.jsonl");
    await writeAheadFast(walBig, 3000, 97_000);
    started = performance.now();
    const big = await publisher(await clone(), walBig, createGit).publish();
    figures["journal: publish of 97,000 pending entries (s)"] = Number(
      ((performance.now() - started) / 1000).toFixed(2),
    );
    if (big.error !== null) throw new Error(big.error.message);
    const reader = await mkdtemp(join(root, "reader-"));
    const audit = await cliSeconds(["audit", "--repo", `file://${bare}`, "--format", "json"], reader);
    if (audit.code !== 0) throw new Error(`audit exited ${audit.code}: ${audit.out.slice(0, 500)}`);
    const intervals = (JSON.parse(audit.out) as { intervals: unknown[] }).intervals.length;
    figures["journal: intervals listed from 100,000 entries"] = intervals;
    // The whole history: every interval is explained from git (one cat-file for all versions, see docs/audit.md).
    figures["journal: audit --repo over 100,000 entries, all 50,000 intervals (s)"] = Number(
      audit.seconds.toFixed(2),
    );
    const recent = await cliSeconds(
      ["audit", "--repo", `file://${bare}`, "--since", "7d", "--format", "json"],
      reader,
    );
    if (recent.code !== 0)
      throw new Error(`audit --since exited ${recent.code}: ${recent.out.slice(0, 500)}`);
    figures["journal: intervals of the last 7 days"] = (
      JSON.parse(recent.out) as { intervals: unknown[] }
    ).intervals.length;
    figures["journal: audit --repo --since 7d over 100,000 entries (s) (target <= 10)"] = Number(
      recent.seconds.toFixed(2),
    );
    const verify = await cliSeconds(["audit", "--verify", "--repo", `file://${bare}`], reader);
    if (verify.code !== 0)
      throw new Error(`audit --verify exited ${verify.code}: ${verify.out.slice(0, 500)}`);
    figures["journal: audit --verify over 100,000 entries (s) (target <= 10)"] = Number(
      verify.seconds.toFixed(2),
    );
    for (const [label, value] of Object.entries(figures)) console.log(`${label}: ${value}`);
    return figures;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
