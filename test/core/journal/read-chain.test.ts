import { describe, expect, it } from "vitest";
import { chainPending, type PendingEntry } from "../../../src/core/journal/chain-pending.js";
import { readChain, type ChainFile } from "../../../src/core/journal/read-chain.js";
import { journalFileOf } from "../../../src/core/journal/journal-file-of.js";

const entry = (n: number, time = `2026-03-0${1 + (n % 5)}T10:00:00Z`): PendingEntry => ({
  id: `id-${n}`,
  time,
  organization: "acme",
  action: "delete",
  outcome: "ok",
  ruleId: 100 + n,
  ruleName: `grantops-r-${n}`,
});

/** A branch made of `count` entries: March, then April (the chain crosses the file boundary). */
function branch(count: number): ChainFile[] {
  const pending = Array.from({ length: count }, (_, i) =>
    entry(i, i < count / 2 ? "2026-03-02T10:00:00Z" : "2026-04-02T10:00:00Z"),
  );
  const chained = chainPending(readChain([]), pending);
  return [...chained.appends].map(([path, lines]) => ({ path, text: `${lines.join("\n")}\n` }));
}

function editLine(
  files: ChainFile[],
  path: string,
  line: number,
  edit: (text: string) => string,
): ChainFile[] {
  return files.map((file) => {
    if (file.path !== path) return file;
    const lines = file.text.split("\n");
    lines[line - 1] = edit(lines[line - 1]!);
    return { ...file, text: lines.join("\n") };
  });
}

const REMOVED = "\u0000";
function removeLine(files: ChainFile[], path: string, line: number): ChainFile[] {
  return editLine(files, path, line, () => REMOVED).map((file) => ({
    ...file,
    text: file.text
      .split("\n")
      .filter((l) => l !== REMOVED)
      .join("\n"),
  }));
}

describe("the journal's hash chain", () => {
  it("an untouched branch is intact, across month files, with its last hash and file", () => {
    const files = branch(10);
    expect(files.map((file) => file.path)).toEqual(["journal/2026-03.jsonl", "journal/2026-04.jsonl"]);
    const chain = readChain(files);
    expect(chain.broken).toBeNull();
    expect(chain.entries).toHaveLength(10);
    expect(chain.entries[0]!["prev"]).toBeNull();
    expect(chain.entries[5]!["prev"]).toBe(chain.entries[4]!["hash"]);
    expect(chain.lastHash).toBe(chain.entries[9]!["hash"]);
    expect(chain.lastPath).toBe("journal/2026-04.jsonl");
  });

  it("an edited middle line is named: file and line", () => {
    const files = editLine(branch(10), "journal/2026-03.jsonl", 3, (line) =>
      line.replace('"outcome":"ok"', '"outcome":"failed"'),
    );
    expect(readChain(files).broken).toMatchObject({ path: "journal/2026-03.jsonl", line: 3 });
  });

  it("an edited line whose hash was recomputed breaks the next line's prev", () => {
    const files = editLine(branch(10), "journal/2026-04.jsonl", 2, (line) => {
      const value = JSON.parse(line) as Record<string, unknown>;
      const forged = chainPending(readChain([]), [{ ...entry(99), id: String(value["id"]) }]);
      const text = [...forged.appends.values()][0]![0]!;
      return JSON.stringify({ ...(JSON.parse(text) as object), prev: value["prev"], hash: "f".repeat(64) });
    });
    expect(readChain(files).broken).toMatchObject({ path: "journal/2026-04.jsonl", line: 2 });
  });

  it("a deleted middle line is named: the line that now stands in its place", () => {
    const files = removeLine(branch(10), "journal/2026-04.jsonl", 3);
    expect(readChain(files).broken).toMatchObject({ path: "journal/2026-04.jsonl", line: 3 });
  });

  it("a deleted first line of a later file breaks the chain there (the chain crosses files)", () => {
    const files = removeLine(branch(10), "journal/2026-04.jsonl", 1);
    expect(readChain(files).broken).toMatchObject({ path: "journal/2026-04.jsonl", line: 1 });
  });

  it("a removed whole file breaks the chain at the first line after it", () => {
    const files = branch(10).filter((file) => file.path !== "journal/2026-03.jsonl");
    expect(readChain(files).broken).toMatchObject({ path: "journal/2026-04.jsonl", line: 1 });
  });

  it("swapped lines and a line that is not JSON are named", () => {
    const swapped = branch(6).map((file) => {
      const lines = file.text.split("\n");
      [lines[0], lines[1]] = [lines[1]!, lines[0]!];
      return { ...file, text: lines.join("\n") };
    });
    expect(readChain(swapped).broken).toMatchObject({ path: "journal/2026-03.jsonl", line: 1 });
    const garbage = editLine(branch(6), "journal/2026-04.jsonl", 2, () => "{not json");
    expect(readChain(garbage).broken).toMatchObject({ path: "journal/2026-04.jsonl", line: 2 });
  });

  it("a leftover from an earlier month goes to the newest file, so files in name order stay in publish order", () => {
    expect(journalFileOf("2026-03-31T23:59:59Z", null)).toBe("journal/2026-03.jsonl");
    expect(journalFileOf("2026-03-31T23:59:59Z", "journal/2026-04.jsonl")).toBe("journal/2026-04.jsonl");
    expect(journalFileOf("2026-05-01T00:00:00Z", "journal/2026-04.jsonl")).toBe("journal/2026-05.jsonl");
  });
});

describe("chainPending", () => {
  it("skips ids already on the branch and chains the rest after its last line, keeping their order", () => {
    const files = branch(4);
    const before = readChain(files);
    const chained = chainPending(before, [
      entry(2),
      entry(7, "2026-04-03T00:00:00Z"),
      entry(3),
      entry(8, "2026-04-03T00:00:01Z"),
    ]);
    expect(chained).toMatchObject({ count: 2, alreadyThere: 2, adopted: 0 });
    const lines = chained.appends
      .get("journal/2026-04.jsonl")!
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line["id"])).toEqual(["id-7", "id-8"]);
    expect(lines[0]!["prev"]).toBe(before.lastHash);
    const after = files.map((file) =>
      file.path === "journal/2026-04.jsonl"
        ? { ...file, text: `${file.text}${chained.appends.get(file.path)!.join("\n")}\n` }
        : file,
    );
    expect(readChain(after).broken).toBeNull();
  });

  it("records a second successful create of one rule as adopted (on the branch, or earlier in the batch)", () => {
    const create = (id: string, ruleId: number, organization = "acme"): PendingEntry => ({
      id,
      time: "2026-03-02T10:00:00Z",
      organization,
      action: "create",
      outcome: "ok",
      ruleId,
      ruleName: `grantops-r-${ruleId}`,
    });
    const first = chainPending(readChain([]), [create("a", 1)]);
    const files = [...first.appends].map(([path, lines]) => ({ path, text: `${lines.join("\n")}\n` }));
    const second = chainPending(readChain(files), [
      create("b", 1),
      create("c", 2),
      create("d", 2),
      create("e", 2, "other"),
    ]);
    const outcomes = [...second.appends.values()]
      .flat()
      .map((line) => (JSON.parse(line) as { outcome: string }).outcome);
    expect(outcomes).toEqual(["adopted", "ok", "adopted", "ok"]);
    expect(second.adopted).toBe(2);
  });
});
