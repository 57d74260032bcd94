// End to end: the safety nets — an incomplete listing aborts, guards refuse mass and empty deletes, a saved plan
// is applied only while the world still gives it, and credentials of another organization are refused.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import {
  createE2eWorld,
  grantYaml,
  packageRoot,
  seedWithForeignRules,
  T0,
  type E2eWorld,
} from "../helpers/e2e-world.js";

const at = (offsetSeconds: number): string =>
  new Date(Date.parse(T0) + offsetSeconds * 1000).toISOString().replace(/\.000Z$/, "Z");
const hour = 3600;
const grant = (user: string, resource: string): string =>
  grantYaml({ users: [`${user}@example.com`], resources: [resource], duration: "8h" });
const four = {
  "grants/team/alice.yaml": grant("alice", "Jira"),
  "grants/team/carol.yaml": grant("carol", "Grafana"),
  "grants/team/dave.yaml": grant("dave", "Wiki"),
  "grants/team/erin.yaml": grant("erin", "Jira"),
};

let world: E2eWorld;
afterEach(async () => {
  await world?.close();
});

async function applied(grants: Record<string, string>, seed = seedWithForeignRules(0)): Promise<E2eWorld> {
  world = await createE2eWorld({ grants, seed });
  const run = await world.cli(["apply", "--trust-git"]);
  expect(run.code, run.stderr).toBe(0);
  return world;
}

describe("a listing that fails part-way", () => {
  const bigSeed = (): ReturnType<typeof seedWithForeignRules> => seedWithForeignRules(1100);

  test("page 2 failing beyond the client's retries aborts the run: exit 1, zero writes, no deletions", async () => {
    const w = await applied(
      { "grants/team/alice.yaml": grant("alice", "Jira"), "grants/team/dave.yaml": grant("dave", "Wiki") },
      bigSeed(),
    );
    expect(w.emulator.state.rules.length).toBeGreaterThan(1000);
    const managed = w.managed().map((r) => r.ruleId);
    // The managed rules sit on page 2: a page-1-only listing would recreate them.
    expect(w.emulator.state.rules.findIndex((r) => r.ruleId === managed[0])).toBeGreaterThanOrEqual(1000);
    // A correct run would now delete alice's rule and create carol's.
    await w.commit(
      { "grants/team/alice.yaml": null, "grants/team/carol.yaml": grant("carol", "Grafana") },
      at(hour),
      "revoke alice, add carol",
    );
    w.setNow(at(hour + 60));
    const writes = w.writes();
    // The client retries 5xx/429/409 for up to minutes; a non-retryable status fails page 2 at once.
    w.emulator.setFaults("failNth=2:403,routes=rules");
    const run = await w.cli(["apply", "--trust-git"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/VENDOR_HTTP_403/);
    expect(w.count(/^GET \/policies\/v2\/rules 403$/)).toBe(1);
    expect(w.writes()).toBe(writes);
    expect(w.managed().map((r) => r.ruleId)).toEqual(managed);
    expect(await w.journal()).toHaveLength(2); // the first apply's creates only
  });

  test("a transient 503 on page 2 is retried and the run completes with the full listing", async () => {
    const w = await applied({ "grants/team/alice.yaml": grant("alice", "Jira") }, bigSeed());
    w.emulator.setFaults("failNth=2:503,routes=rules");
    const writes = w.writes();
    const run = await w.cli(["apply", "--trust-git"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("applied: 0 ok, 0 failed, 0 skipped");
    expect(w.count(/^GET \/policies\/v2\/rules 503$/)).toBe(1);
    expect(w.writes()).toBe(writes);
  });
});

describe("guards", () => {
  test("deleting more than --max-deletes is refused (exit 3, nothing deleted) until --allow-mass-delete", async () => {
    const w = await applied(four);
    await w.commit(
      { "grants/team/alice.yaml": null, "grants/team/carol.yaml": null, "grants/team/dave.yaml": null },
      at(hour),
      "revoke three",
    );
    w.setNow(at(hour + 60));
    const writes = w.writes();
    const refused = await w.cli(["apply", "--trust-git", "--max-deletes", "2"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("[mass-delete]");
    expect(refused.stderr).toContain("--allow-mass-delete");
    expect(w.writes()).toBe(writes);
    expect(w.managed()).toHaveLength(4);
    const plan = await w.cli(["plan", "--trust-git", "--max-deletes", "2"]);
    expect(plan.code).toBe(3);

    const forced = await w.cli(["apply", "--trust-git", "--max-deletes", "2", "--allow-mass-delete"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain("applied: 3 ok, 0 failed, 0 skipped");
    expect(w.managed().map((r) => r.ruleName)).toEqual([expect.stringMatching(/^grantops-team-erin-/)]);
  });

  test("an empty desired set that would delete rules is refused until --allow-empty", async () => {
    const w = await applied({ "grants/team/alice.yaml": grant("alice", "Jira") });
    await w.commit({ "grants/team/alice.yaml": null }, at(hour), "remove every grant");
    w.setNow(at(hour + 60));
    const refused = await w.cli(["apply", "--trust-git"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("[empty-desired]");
    expect(refused.stderr).toContain("--allow-empty");
    expect(w.managed()).toHaveLength(1);
    const forced = await w.cli(["apply", "--trust-git", "--allow-empty"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(w.managed()).toEqual([]);
  });
});

describe("apply --plan (a saved plan)", () => {
  test("a new commit makes the saved plan stale: exit 3, nothing written; a fresh plan applies", async () => {
    world = await createE2eWorld({ grants: { "grants/team/alice.yaml": grant("alice", "Jira") } });
    const planFile = join(world.home, "p.json");
    expect((await world.cli(["plan", "--trust-git", "--out", planFile])).code).toBe(2);
    await world.commit({ "grants/team/carol.yaml": grant("carol", "Grafana") }, at(hour), "add carol");
    world.setNow(at(hour + 60));
    const stale = await world.cli(["apply", "--trust-git", "--plan", planFile]);
    expect(stale.code).toBe(3);
    expect(stale.stderr).toContain("[stale-plan]");
    expect(world.writes()).toBe(0);
    expect(await world.journal()).toEqual([]);

    expect((await world.cli(["plan", "--trust-git", "--out", planFile])).code).toBe(2);
    world.advance(30); // time alone does not make a plan stale
    const run = await world.cli(["apply", "--trust-git", "--plan", planFile]);
    expect(run.code, run.stderr).toBe(0);
    expect(world.managed()).toHaveLength(2);
  });

  test("a change in Secure Access makes the saved plan stale", async () => {
    const w = await applied({
      "grants/team/alice.yaml": grant("alice", "Jira"),
      "grants/team/carol.yaml": grant("carol", "Grafana"),
    });
    await w.commit({ "grants/team/alice.yaml": null }, at(hour), "revoke alice");
    w.setNow(at(hour + 60));
    const planFile = join(w.home, "p.json");
    expect((await w.cli(["plan", "--trust-git", "--out", planFile])).code).toBe(2);
    // Someone deletes alice's rule in the dashboard before the saved plan is applied.
    const index = w.emulator.state.rules.findIndex((r) => r.ruleName.startsWith("grantops-team-alice-"));
    w.emulator.state.rules.splice(index, 1);
    const writes = w.writes();
    const stale = await w.cli(["apply", "--trust-git", "--plan", planFile]);
    expect(stale.code).toBe(3);
    expect(stale.stderr).toContain("[stale-plan]");
    expect(w.writes()).toBe(writes);
  });
});

describe("organization check", () => {
  test("credentials reading another organization's rules: exit 1, nothing written", async () => {
    const policy = (await readFile(join(packageRoot, "policy.yaml"), "utf8")).replace("8094936", "1234567");
    world = await createE2eWorld({ policy, grants: { "grants/team/alice.yaml": grant("alice", "Jira") } });
    const run = await world.cli(["apply", "--trust-git"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("[ORG_MISMATCH]");
    expect(run.stderr).toContain("8094936");
    expect(world.writes()).toBe(0);
    expect(world.managed()).toEqual([]);
  });
});
