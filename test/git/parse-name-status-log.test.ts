import { describe, expect, it } from "vitest";
import { createNameStatusLogParser } from "../../src/git/parse-name-status-log.js";
import type { LoggedCommit } from "../../src/core/history/last-changes.js";

// What `git log -z --name-status --format=format:%x01%H%x09%ct` writes for three commits.
const output = Buffer.from(
  "\x01c3\t30\nM\0grants/é.yaml\0A\0grants/d\x01.yaml\0\0" +
    "\x01c2\t20\nD\0grants/a.yaml\0\0" +
    "\x01c1\t10\nA\0grants/a.yaml\0A\0grants/b.yaml\0",
  "utf8",
);
const expected: LoggedCommit[] = [
  {
    sha: "c3",
    seconds: 30,
    changes: [
      { path: "grants/é.yaml", deleted: false },
      { path: "grants/d\x01.yaml", deleted: false },
    ],
  },
  { sha: "c2", seconds: 20, changes: [{ path: "grants/a.yaml", deleted: true }] },
  {
    sha: "c1",
    seconds: 10,
    changes: [
      { path: "grants/a.yaml", deleted: false },
      { path: "grants/b.yaml", deleted: false },
    ],
  },
];

describe("createNameStatusLogParser", () => {
  it("parses the same commits however the output is split into chunks", () => {
    for (let cut = 0; cut <= output.length; cut += 1) {
      const commits: LoggedCommit[] = [];
      const parser = createNameStatusLogParser((commit) => {
        commits.push(commit);
        return false;
      });
      parser.push(output.subarray(0, cut));
      parser.push(output.subarray(cut));
      parser.end();
      expect(commits).toEqual(expected);
    }
  });

  it("stops at the commit the reader asks it to, and hands over a commit as soon as it is complete", () => {
    const commits: string[] = [];
    const parser = createNameStatusLogParser((commit) => {
      commits.push(commit.sha);
      return commit.sha === "c2";
    });
    const firstTwo = output.indexOf("\x01c1");
    expect(parser.push(output.subarray(0, firstTwo))).toBe(false);
    expect(parser.push(output.subarray(firstTwo))).toBe(false);
    parser.end();
    expect(commits).toEqual(["c3", "c2"]);
  });
});
