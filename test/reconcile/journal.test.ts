import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createJournal, createMemoryJournal, readJournal } from "../../src/reconcile/journal.js";
import type { JournalEntry } from "../../src/core/model/journal-entry.js";

const entry = (ruleId: number, outcome: JournalEntry["outcome"] = "ok"): JournalEntry => ({
  time: "2026-11-26T18:00:02Z",
  organization: "acme",
  grantId: "team/a",
  version: null,
  commit: "d".repeat(40),
  ruleId,
  ruleName: `grantops-team-a-${ruleId}`,
  action: "delete",
  reason: "expired",
  outcome,
  expiresAt: "2026-11-26T18:00:00Z",
  lagSeconds: 2,
});

describe("journal", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "grantops-journal-"));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it("appends one JSON line per entry, creating the parent directory", async () => {
    const path = join(dir, "state", "nested", "journal.jsonl");
    let next = 0;
    const journal = createJournal(path, {
      writer: "apply@host pid 1",
      run: "run-1",
      newId: () => `id-${++next}`,
    });
    await journal.record(entry(1));
    await journal.record(entry(2, "failed"));
    const lines = (await readFile(path, "utf8")).split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe("");
    const stamp = (id: string) => ({ id, writer: "apply@host pid 1", run: "run-1" });
    expect(JSON.parse(lines[0]!)).toEqual({ ...entry(1), ...stamp("id-1") });
    expect(await readJournal(path)).toEqual([
      { ...entry(1), ...stamp("id-1") },
      { ...entry(2, "failed"), ...stamp("id-2") },
    ]);
  });

  it("tolerates a torn last line on read, and starts the next entry on a new line", async () => {
    const path = join(dir, "journal.jsonl");
    await writeFile(path, `${JSON.stringify(entry(1))}\n{"time":"2026-11-26T18:0`);
    const warnings: string[] = [];
    expect(await readJournal(path, { onWarning: (message) => warnings.push(message) })).toEqual([entry(1)]);
    expect(warnings).toEqual([`${path}:2: skipped an unreadable journal line`]);
    await createJournal(path, { newId: () => "id-3" }).record(entry(3));
    expect(await readJournal(path)).toEqual([entry(1), { ...entry(3), id: "id-3" }]);
  });

  it("skips lines that are JSON but not entries, and reads a missing journal as empty", async () => {
    const path = join(dir, "journal.jsonl");
    await appendFile(path, `[1,2]\n${JSON.stringify(entry(4))}\n\n`);
    expect(await readJournal(path)).toEqual([entry(4)]);
    expect(await readJournal(join(dir, "none.jsonl"))).toEqual([]);
  });

  it.each(["grants/journal.jsonl", "/repo/grants/team/journal.jsonl", "./x/grants/j.jsonl"])(
    "refuses a path inside grants/: %s",
    (path) => {
      expect(() => createJournal(path)).toThrow(
        expect.objectContaining({ code: "journal-path", exitCode: 4 }),
      );
    },
  );

  it("accepts a file merely named like grants", () => {
    expect(() => createJournal(join(dir, "grants.jsonl"))).not.toThrow();
  });

  it("keeps entries in memory for tests, as copies", async () => {
    const journal = createMemoryJournal();
    const original = entry(5);
    await journal.record(original);
    original.ruleId = 99;
    expect(journal.entries).toEqual([entry(5)]);
  });
});
