// End to end: the landing-times cache of the state directory (docs/git-and-apply.md, "How landing times are found").
import { afterEach, expect, test } from "vitest";
import { access, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterT0 as at, createE2eWorld, grantYaml, type E2eWorld } from "../helpers/e2e-world.js";

const alicePath = "grants/payments/alice-jira.yaml";
const hour = 3600;
let world: E2eWorld | undefined;
afterEach(() => world?.close());

test("apply keeps landing-times.json beside the state file, plan only reads it, a corrupt one is rebuilt", async () => {
  world = await createE2eWorld({
    grants: { [alicePath]: grantYaml({ users: ["alice@example.com"], resources: ["Jira"], duration: "4h" }) },
  });
  const cachePath = join(world.home, ".grantops", "landing-times.json");
  const plan = await world.cli(["plan", "--trust-git"]);
  expect(plan.code, plan.stderr).toBe(2);
  await expect(access(cachePath)).rejects.toThrow();

  const first = await world.cli(["apply", "--trust-git"]);
  expect(first.code, first.stderr).toBe(0);
  const written = JSON.parse(await readFile(cachePath, "utf8")) as {
    entries: Array<Record<string, unknown>>;
  };
  expect(written.entries).toMatchObject([{ branch: "main", commit: await world.repo.head() }]);

  await writeFile(cachePath, "{ not a cache");
  const edited = grantYaml({ users: ["alice@example.com"], resources: ["Jira"], duration: "3h" });
  const commit = await world.commit({ [alicePath]: edited }, at(2 * hour), "alice: 3h");
  world.setNow(at(2 * hour + 10));
  const run = await world.cli(["apply", "--trust-git"]);
  expect(run.code, run.stderr).toBe(0);
  const journal = await world.journal();
  expect(journal.at(-2)).toMatchObject({ action: "create", version: commit, outcome: "ok" });
  expect(journal.at(-2)?.expiresAt).toBe(at(5 * hour)); // landed at +2h, for 3h
  const rebuilt = JSON.parse(await readFile(cachePath, "utf8")) as {
    entries: Array<Record<string, unknown>>;
  };
  expect(rebuilt.entries).toMatchObject([{ branch: "main", commit }]);
});
