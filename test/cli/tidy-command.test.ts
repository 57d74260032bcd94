import { afterEach, describe, expect, it } from "vitest";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { createGitFixture, type GitFixture } from "../helpers/git-fixture.js";
import { runCli } from "../helpers/run-cli.js";

const policy = readFileSync("policy.yaml", "utf8");
const grantFile = (duration: string): string =>
  `version: 1\nusers: [alice@example.com]\nresources: [Jira]\nreason: "CHG-9: a tidy test grant"\nduration: ${duration}\n`;

let fixture: GitFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

async function repoWithGrants(): Promise<GitFixture> {
  fixture = await createGitFixture();
  await fixture.write("policy.yaml", policy);
  await fixture.write("grants/team/old.yaml", grantFile("1h"));
  await fixture.write("grants/team/live.yaml", grantFile("8h"));
  await fixture.commit("grants", "2026-11-25T08:00:00Z");
  await fixture.write("grants/team/fresh.yaml", grantFile("1h")); // never committed: counts from now
  return fixture;
}

const at = (iso: string) => ({ clock: () => new Date(iso) });

describe("grantops tidy", () => {
  it("moves only the expired files to grants/expired/ with git mv", async () => {
    const repo = await repoWithGrants();
    const run = await runCli(["tidy", "--repo", repo.dir], at("2026-11-25T12:00:00Z"));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "moved: grants/team/old.yaml -> grants/expired/team/old.yaml (expired 2026-11-25T09:00:00Z)",
    );
    expect(existsSync(join(repo.dir, "grants/expired/team/old.yaml"))).toBe(true);
    expect(existsSync(join(repo.dir, "grants/team/live.yaml"))).toBe(true);
    expect(existsSync(join(repo.dir, "grants/team/fresh.yaml"))).toBe(true);
    const status = await repo.git.status();
    expect(status.renamed).toEqual([{ from: "grants/team/old.yaml", to: "grants/expired/team/old.yaml" }]);
    const validate = await runCli(["validate", "--repo", repo.dir], at("2026-11-25T12:00:00Z"));
    expect(validate.stdout).not.toContain("old.yaml");
  });

  it("--dry-run lists and moves nothing", async () => {
    const repo = await repoWithGrants();
    const run = await runCli(["tidy", "--repo", repo.dir, "--dry-run"], at("2026-11-25T20:00:00Z"));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("would move: grants/team/live.yaml -> grants/expired/team/live.yaml");
    expect(run.stdout).toContain("would move: grants/team/old.yaml");
    expect(run.stdout).not.toContain("fresh.yaml");
    expect(existsSync(join(repo.dir, "grants/team/old.yaml"))).toBe(true);
  });

  it("says so when nothing expired, and refuses to overwrite an existing target (exit 4)", async () => {
    const repo = await repoWithGrants();
    expect((await runCli(["tidy", "--repo", repo.dir], at("2026-11-25T08:30:00Z"))).stdout).toBe(
      "no expired grant files\n",
    );
    await repo.write("grants/expired/team/old.yaml", grantFile("1h"));
    const run = await runCli(["tidy", "--repo", repo.dir], at("2026-11-25T12:00:00Z"));
    expect(run.code).toBe(4);
    expect(run.stdout).toContain("target exists: grants/team/old.yaml");
  });
});
