// Publishing a local journal to the journal branch of a bare remote, through a working clone (plumbing only).
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readChain } from "../../src/core/journal/read-chain.js";
import { createGit, type GitFactory } from "../../src/git/git-env.js";
import { createJournal } from "../../src/reconcile/journal.js";
import { createJournalPublisher, type JournalPublisher } from "../../src/journal/publish-journal.js";
import { resolveJournalTarget } from "../../src/journal/journal-target.js";
import { readJournalFiles } from "../../src/journal/read-journal-files.js";
import { publishedMarkPath } from "../../src/journal/pending-entries.js";
import { createLogger } from "../../src/observability/create-logger.js";
import { createGitFixture, type GitFixture } from "../helpers/git-fixture.js";
import type { JournalEntry } from "../../src/core/model/journal-entry.js";

const logger = createLogger({ level: "silent" });
let fixture: GitFixture;
afterEach(async () => fixture?.cleanup());

const entry = (ruleId: number): JournalEntry => ({
  time: "2026-03-02T10:00:00Z",
  organization: "acme",
  grantId: "team/a",
  version: null,
  commit: null,
  ruleId,
  ruleName: `grantops-team-a-${ruleId}`,
  action: "delete",
  reason: "expired",
  outcome: "ok",
  expiresAt: "2026-03-02T09:00:00Z",
  lagSeconds: 1,
});

async function world() {
  fixture = await createGitFixture();
  await fixture.write("policy.yaml", "version: 1\n");
  await fixture.commit("grants", "2026-03-02T09:00:00Z");
  const bare = await fixture.bareClone();
  const clone = async () => {
    const dir = await fixture.tempDir();
    await createGit(dir).raw(["clone", "--quiet", bare, dir]);
    return dir;
  };
  return { bare, clone };
}

function publisher(repo: string, wal: string, git: GitFactory = createGit): JournalPublisher {
  return createJournalPublisher({
    journalPath: wal,
    target: () =>
      resolveJournalTarget({
        repo,
        cacheDir: join(repo, "..", "cache"),
        cwd: repo,
        branch: "grantops-journal",
        git,
      }),
    logger,
    minRetryMs: 1,
    git,
  });
}

async function branch(bare: string) {
  const tip = (await createGit(bare).raw(["rev-parse", "refs/heads/grantops-journal"])).trim();
  return readChain(await readJournalFiles(bare, tip));
}

describe("publishing the journal", () => {
  it("appends the pending entries in one commit and push, without touching the clone's branch or working tree", async () => {
    const { bare, clone } = await world();
    const dir = await clone();
    const head = (await createGit(dir).raw(["rev-parse", "HEAD"])).trim();
    const wal = join(await fixture.tempDir(), "journal.jsonl");
    const journal = createJournal(wal);
    for (let i = 1; i <= 3; i++) await journal.record(entry(i));
    const report = await publisher(dir, wal).publish();
    expect(report).toMatchObject({ branch: true, published: 3, pushes: 1, pending: 0, error: null });
    expect((await branch(bare)).entries.map((e) => e["ruleId"])).toEqual([1, 2, 3]);
    expect((await createGit(dir).raw(["rev-parse", "HEAD"])).trim()).toBe(head);
    expect(await createGit(dir).raw(["status", "--porcelain"])).toBe("");
    expect(await createGit(bare).raw(["rev-list", "--count", "grantops-journal"])).toBe("1\n");
    // Nothing pending: no fetch, no push.
    expect(await publisher(dir, wal).publish()).toMatchObject({ published: 0, pushes: 0 });
  });

  it("a run that died after its push but before its mark does not publish the entries twice", async () => {
    const { bare, clone } = await world();
    const dir = await clone();
    const wal = join(await fixture.tempDir(), "journal.jsonl");
    const journal = createJournal(wal);
    await journal.record(entry(1));
    await journal.record(entry(2));
    await publisher(dir, wal).publish();
    await rm(publishedMarkPath(wal));
    await journal.record(entry(3));
    const report = await publisher(dir, wal).publish();
    expect(report).toMatchObject({ published: 1, alreadyThere: 2 });
    const chain = await branch(bare);
    expect(chain.broken).toBeNull();
    expect(chain.entries.map((e) => e["ruleId"])).toEqual([1, 2, 3]);
  });

  it("a push refused because another writer published first is retried from a fresh fetch: one valid chain", async () => {
    const { bare, clone } = await world();
    const [dirA, dirB] = [await clone(), await clone()];
    const [walA, walB] = [join(await fixture.tempDir(), "a.jsonl"), join(await fixture.tempDir(), "b.jsonl")];
    await createJournal(walA).record(entry(1));
    await createJournal(walB).record(entry(2));
    let raced = false;
    // Writer A's first push happens just after writer B published: A's commit no longer fast-forwards.
    const racing: GitFactory = (dir) => {
      const git = createGit(dir);
      const raw = git.raw.bind(git);
      return Object.assign(git, {
        raw: async (args: string[]) => {
          if (args[0] === "push" && !raced) {
            raced = true;
            expect(await publisher(dirB, walB).publish()).toMatchObject({ published: 1 });
          }
          return raw(args);
        },
      });
    };
    const report = await publisher(dirA, walA, racing).publish();
    expect(report).toMatchObject({ published: 1, pushes: 2, error: null });
    const chain = await branch(bare);
    expect(chain.broken).toBeNull();
    expect(chain.entries.map((e) => e["ruleId"])).toEqual([2, 1]);
  });

  it("a local-only repository keeps the local file: nothing is published", async () => {
    await world();
    const wal = join(await fixture.tempDir(), "journal.jsonl");
    await createJournal(wal).record(entry(1));
    const report = await publisher(fixture.dir, wal).publish();
    expect(report).toMatchObject({ branch: false, published: 0, pending: 0 });
    expect((await readFile(wal, "utf8")).split("\n")).toHaveLength(2);
  });

  it("an unreachable remote leaves the entries pending, with the error", async () => {
    const { clone } = await world();
    const dir = await clone();
    await createGit(dir).raw(["remote", "set-url", "origin", join(dir, "nowhere")]);
    const wal = join(await fixture.tempDir(), "journal.jsonl");
    await createJournal(wal).record(entry(1));
    const report = await publisher(dir, wal).publish();
    expect(report).toMatchObject({
      branch: true,
      published: 0,
      pending: 1,
      error: { code: "journal-fetch" },
    });
  });
});
