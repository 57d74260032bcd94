// A requester controls what files a pull request adds under grants/: a symbolic link to a file outside the
// repository, a file name with a newline, a stray file. `validate` (the working tree, in CI) and `plan` (the
// commit, in the reconciler) must report each at its path, never read a link's target, and agree.
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createE2eWorld, grantYaml, T0, type E2eWorld } from "../helpers/e2e-world.js";

let world: E2eWorld;
let outside: string;
const SECRET_KEY = "outside_only_key_7f3a";

beforeAll(async () => {
  outside = await mkdtemp(join(tmpdir(), "grantops-outside-"));
  await writeFile(join(outside, "secret.yml"), `${SECRET_KEY}: hunter2-value\nanother_private_field: 1\n`);
  world = await createE2eWorld({
    grants: {
      "grants/ok/alice.yaml": grantYaml({ users: ["alice@example.com"], resources: ["Jira"] }),
      "grants/new\nline.yaml": "version: [broken",
      "grants/notes.txt": "not a grant",
      "grants/typo.yaml.bak": grantYaml({ users: ["bob@example.com"], resources: ["Jira"] }),
      "grants/expired/old.txt": "retired grants are never looked at",
    },
  });
  await symlink(join(outside, "secret.yml"), join(world.repo.dir, "grants", "leak.yaml"));
  await world.commit({}, T0, "add a link");
});
afterAll(async () => {
  await world.close();
  await rm(outside, { recursive: true, force: true });
});

const HOSTILE = /^grants\/(leak\.yaml|new\\nline\.yaml|notes\.txt|typo\.yaml\.bak):/;

/** The problem lines of the hostile files, as a command printed them. */
const hostileLines = (output: string): string[] =>
  output
    .split("\n")
    .filter((line) => HOSTILE.test(line))
    .sort();

describe("hostile files under grants/", () => {
  it("validate reports each at its path, escaped, and never reads a link's target", async () => {
    const run = await world.cli(["validate", "--repo", world.repo.dir]);
    expect(run.code).toBe(4);
    expect(run.stdout + run.stderr).not.toContain(SECRET_KEY);
    expect(run.stdout + run.stderr).not.toContain("another_private_field");
    expect(hostileLines(run.stdout)).toEqual([
      "grants/leak.yaml:1:1: error: grants/leak.yaml is a symbolic link; files under grants/ must be regular files (it was not read) [not-regular-file]",
      "grants/new\\nline.yaml:1:17: error: Flow sequence in block collection must be sufficiently indented and end with a ] [yaml-syntax]",
      expect.stringMatching(
        /^grants\/new\\nline\.yaml:1:1: error: grant id "new\\nline" \(from the file path\) may only contain/,
      ),
      "grants/notes.txt:1:1: warning: grants/notes.txt is not a grant file (grant files end in .yaml or .yml); it is not reconciled [not-a-grant-file]",
      "grants/typo.yaml.bak:1:1: warning: grants/typo.yaml.bak is not a grant file (grant files end in .yaml or .yml); it is not reconciled [not-a-grant-file]",
    ]);
    expect(run.stdout).not.toContain("expired/old.txt");
  });

  it("plan at the commit gives the same verdict for the same files", async () => {
    const validate = await world.cli(["validate", "--repo", world.repo.dir]);
    const plan = await world.cli(["plan", "--trust-git"]);
    expect(plan.code).toBe(4);
    expect(plan.stdout + plan.stderr).not.toContain(SECRET_KEY);
    expect(hostileLines(plan.stderr)).toEqual(hostileLines(validate.stdout));
    expect(plan.stdout).toContain("+ create grantops-ok-alice-");
  });
});
