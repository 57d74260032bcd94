// The "Done when" fuzz of issue 11: grant files with hostile strings in every field (and hostile file names) go
// through `validate`, `plan` and the PR comment (`pr-report`, the real renderer). None may crash; none may emit raw
// HTML, a live mention or a terminal control; every problem carries file:line:col.
import fc from "fast-check";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { createServeWorld, type ServeWorld } from "../serve-e2e/serve-world.js";
import { hostileString, markdownHazard, terminalInert } from "../helpers/hostile-text.js";

let world: ServeWorld;
beforeAll(async () => {
  world = await createServeWorld();
});
afterAll(async () => {
  await world?.close();
});

const grantDocument = fc.record({
  version: fc.oneof(fc.constant(1), hostileString()),
  users: fc.array(fc.oneof(hostileString(), fc.constant("alice@example.com")), {
    minLength: 1,
    maxLength: 3,
  }),
  resources: fc.array(fc.oneof(hostileString(), fc.constant("Jira")), { minLength: 1, maxLength: 2 }),
  reason: hostileString(),
  ticket: hostileString(),
  duration: fc.oneof(fc.constant("2h"), hostileString()),
  organization: fc.oneof(fc.constant("acme"), hostileString()),
  extraKey: hostileString(),
  extraValue: hostileString(),
});

/** A file name under grants/: hostile, without "/" or NUL, short enough for any file system. */
const fileName = hostileString().map(
  (name) =>
    `${Buffer.from(name.replace(/[/\0]/g, "_"))
      .subarray(0, 60)
      .toString("utf8")
      .replace(/\uFFFD/g, "_")}`,
);

const PROBLEM_LINE = /^(?<file>.+):(?<line>[1-9]\d*):(?<column>[1-9]\d*): (error|warning): .* \[[^\]]+\]$/;
let pull = 100;

describe("fuzz: hostile grant files through validate, plan and the PR comment", () => {
  it("never crash, stay inert, and locate every problem", { timeout: 240_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(grantDocument, fileName, async (doc, name) => {
        pull += 1;
        const { extraKey, extraValue, ...fields } = doc;
        const text = stringify({ ...fields, [extraKey || "x"]: extraValue });
        const git = world.work.git;
        await git.raw(["checkout", "--quiet", "-B", `fuzz-${pull}`, "main"]);
        await world.work.write(`grants/fuzz/${name || "_"}.yaml`, text);
        await world.work.write("grants/fuzz/plain.yaml", text);
        await world.work.commit(`fuzz ${pull}`, new Date().toISOString());
        await git.raw(["push", "--quiet", "--force", world.bare, `fuzz-${pull}:refs/pull/${pull}/head`]);
        try {
          const env = { ...world.env };
          const validate = await runCli(["validate", "--repo", world.work.dir], { env, cwd: world.home });
          const plan = await runCli(
            ["plan", "--trust-git", "--repo", world.work.dir, "--ref", `fuzz-${pull}`],
            {
              env,
              cwd: world.home,
            },
          );
          const report = await runCli(
            ["pr-report", "--repo", world.url, "--trust-git", "--pr", String(pull)],
            {
              env,
              cwd: world.home,
            },
          );
          for (const run of [validate, plan, report]) {
            expect([0, 2, 4], run.stderr).toContain(run.code);
            expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
            expect(terminalInert(run.stderr), run.stderr).toBe(true);
          }
          expect(terminalInert(validate.stdout)).toBe(true);
          expect(terminalInert(plan.stdout)).toBe(true);
          const problems = validate.stdout.split("\n").slice(0, -2);
          expect(problems.length).toBeGreaterThan(0);
          for (const line of problems) expect(line).toMatch(PROBLEM_LINE);
          for (const line of plan.stderr.split("\n").filter((l) => l.startsWith("grants/")))
            expect(line).toMatch(PROBLEM_LINE);
          expect(report.stdout).toContain(`## grantops: pull request #${pull}`);
          expect(markdownHazard(report.stdout)).toBeNull();
          for (const line of report.stdout
            .split("\n")
            .filter((l) => /^ *- /.test(l) && / (error|warning): /.test(l)))
            expect(line).toMatch(
              /^ *- (`grants\/.+:[1-9]\d*:[1-9]\d*`|grants\/.+:[1-9]\d*:[1-9]\d*) (error|warning): /,
            );
        } finally {
          await git.raw(["checkout", "--quiet", "--force", "main"]);
          await git.raw(["clean", "--quiet", "-fdx", "grants"]);
        }
      }),
      { numRuns: 8 },
    );
  });
});
