// readDesiredAt validates the files as git streams them (never holding them all): every problem of every file
// still comes back with its exact file:line:column, whichever of many files it is in and wherever git's output
// is cut into chunks.
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readDesiredAt } from "../../src/reconcile/read-desired-state.js";
import { readFilesAtCommit } from "../../src/git/read-files-at-commit.js";
import { validateRepository } from "../../src/grants/validate-repository.js";
import { createGitFixture, type GitFixture } from "../helpers/git-fixture.js";

const now = new Date("2026-11-25T12:00:00Z");
const policy = readFileSync(new URL("../../policy.yaml", import.meta.url), "utf8");
const COUNT = 400;
const name = (i: number): string => `grants/team-${i % 7}/g-${String(i).padStart(3, "0")}.yaml`;

/** Grant i, padded so the 400 files make several chunks of git output. */
function grantText(i: number, user = `user${i}@example.com`): string {
  return [
    `# grant ${i}: ${"padding ".repeat(40)}`,
    "version: 1",
    `users: [${user}]`,
    "resources: [Jira]",
    `reason: "CHG-${i}: a good enough reason"`,
    "duration: 4h",
    "",
  ].join("\n");
}

describe("readDesiredAt on many files", () => {
  let repo: GitFixture;
  beforeEach(async () => {
    repo = await createGitFixture();
  });
  afterEach(async () => repo.cleanup());

  it("reports each problem of file N of M at its own line, as validating the files in memory does", async () => {
    await repo.write("policy.yaml", policy);
    for (let i = 0; i < COUNT; i += 1) await repo.write(name(i), grantText(i));
    // File 8 of 400: a duplicate key on line 7.
    await repo.write(name(7), `${grantText(7)}duration: 2h\n`);
    // File 124: an unknown field on line 8, after a large file that spans several chunks of git's output.
    await repo.write(name(122), `${grantText(122)}#${"x".repeat(70_000)}\n`);
    await repo.write(name(123), `${grantText(123)}\ncolour: blue\n`);
    // Files 201 and 202 give the same user the same resource: a warning on each, at its users entry (line 3).
    await repo.write(name(201), grantText(201, "shared@example.com"));
    await repo.write(name(200), grantText(200, "shared@example.com"));
    // The last file: an unclosed bracket on line 4, which the parser reports where it finds out (line 5).
    await repo.write(name(COUNT - 1), grantText(COUNT - 1).replace("resources: [Jira]", "resources: [Jira"));
    const commit = await repo.commit("many grants", "2026-11-25T11:00:00Z");

    const state = await readDesiredAt(
      { dir: repo.dir, branch: "main", commit },
      { policyPath: "policy.yaml", now },
    );
    const at = (file: string, code: string): string[] =>
      state.problems.filter((p) => p.file === file && p.code === code).map((p) => `${p.line}:${p.column}`);
    expect(at(name(7), "yaml-duplicate-key")).toEqual(["7:1"]);
    expect(at(name(122), "file-too-large")).toEqual(["1:1"]);
    expect(at(name(123), "unknown-field")).toEqual(["8:1"]);
    expect(at(name(200), "duplicate-grant")).toEqual(["3:9"]);
    expect(at(name(201), "duplicate-grant")).toEqual(["3:9"]);
    expect(
      state.problems.filter((p) => p.file === name(COUNT - 1) && p.severity === "error")[0],
    ).toMatchObject({
      code: "yaml-syntax",
      line: 5,
    });
    expect(state.invalidGrantIds).toHaveLength(4);
    expect(state.grants).toHaveLength(COUNT - 4);

    // The same problems, grants and invalid ids as validating every file held in memory.
    const files = await readFilesAtCommit(
      repo.dir,
      commit,
      (p) => p.startsWith("grants/") || p === "policy.yaml",
    );
    const reference = validateRepository(files, { now, policyPath: "policy.yaml" });
    expect(state.problems).toEqual(reference.problems);
    expect(state.grants).toEqual(reference.grants);
    expect(state.invalidGrantIds).toEqual(reference.invalidGrantIds);
  });
});
