import { describe, expect, it } from "vitest";
import { locateResolveProblems } from "../../src/reconcile/locate-resolve-problems.js";
import type { ResolveProblem } from "../../src/reconcile/resolve-desired.js";

const bytes = (text: string) => new TextEncoder().encode(text);
const files = new Map([
  ["grants/a.yaml", bytes("version: 1\nusers: [alice@example.com, nobody@example.com]\nresources: [Jira]\n")],
  [
    "grants/b.yaml",
    bytes("version: 1\nusers:\n  - alice@example.com\nresources:\n  - Jira\n  - {id: 999}\n"),
  ],
]);
const problem = (file: string, path?: Array<string | number>): ResolveProblem => ({
  grantId: file.replace(/^grants\/|\.yaml$/g, ""),
  file,
  code: "user-not-found",
  message: "user x was not found",
  ...(path === undefined ? {} : { path }),
});

describe("locateResolveProblems", () => {
  it.each([
    { file: "grants/a.yaml", path: ["users", 1], line: 2, column: 28 },
    { file: "grants/a.yaml", path: ["resources", 0], line: 3, column: 13 },
    { file: "grants/b.yaml", path: ["resources", 1], line: 6, column: 5 },
    { file: "grants/b.yaml", path: ["users", 5], line: 3, column: 3 }, // no such item: the list
    { file: "grants/b.yaml", path: undefined, line: 1, column: 1 },
    { file: "grants/missing.yaml", path: ["users", 0], line: 1, column: 1 },
  ])("$file $path → $line:$column", ({ file, path, line, column }) => {
    expect(locateResolveProblems([problem(file, path)], files)).toEqual([
      { severity: "error", code: "user-not-found", file, line, column, message: "user x was not found" },
    ]);
  });
});
