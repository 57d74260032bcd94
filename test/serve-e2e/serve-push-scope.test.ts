// A push costs what it changes: after a converged run, `serve` plans a push by the grant files it changed and finds
// their rules by name (the `ruleName` filter), never listing every rule; the policy changing, a rewritten history
// or a rule of another grant holding a needed name make it a full reconcile.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parseMarker } from "../../src/core/rule/rule-marker.js";
import {
  createServeWorld,
  deliver,
  grantYaml,
  pushPayload,
  startServeCli,
  waitFor,
  type RunningServe,
  type ServeWorld,
} from "./serve-world.js";

let world: ServeWorld;
let serve: RunningServe;
const requests: string[] = [];

/** Full listings (every rule, no ruleName filter) and name lookups among the requests since `from`. */
const rulesCalls = (from: number): { listings: number; lookups: string[] } => {
  const lines = requests.slice(from).filter((line) => /^GET \/policies\/v2\/rules\?/.test(line));
  return {
    listings: lines.filter((line) => !line.includes("ruleName=")).length,
    lookups: lines.filter((line) => line.includes("ruleName=")),
  };
};

const metrics = async (): Promise<string> => (await fetch(`${serve.url}/metrics`)).text();
const scopeCount = async (scope: string, reason: string): Promise<number> => {
  const match = new RegExp(
    `grantops_reconcile_scope_total\\{scope="${scope}",reason="${reason}"\\} (\\d+)`,
  ).exec(await metrics());
  return Number(match?.[1] ?? 0);
};

/** Pushes, delivers the webhook, and waits until the run it caused is counted. */
async function pushAndRun(files: Record<string, string | null>, scope: string, reason: string) {
  const before = await scopeCount(scope, reason);
  const from = requests.length;
  const sha = await world.push(files);
  expect(await deliver(serve.url, "push", pushPayload(sha))).toBe(202);
  await waitFor(async () => (await scopeCount(scope, reason)) > before, 15_000, `a ${scope} run (${reason})`);
  return rulesCalls(from);
}

beforeAll(async () => {
  world = await createServeWorld({ emulator: { log: (line) => requests.push(line) } });
  // Enough grants that the pushes below stay far from the mass-delete guard (half of the rules grantops owns).
  const steady = Object.fromEntries(
    ["alice", "bob", "carol", "erin"].flatMap((user) =>
      ["Grafana", "Wiki"].map((resource) => [
        `grants/steady/${user}-${resource.toLowerCase()}.yaml`,
        grantYaml([`${user}@example.com`], [resource], "2h"),
      ]),
    ),
  );
  await world.push({
    ...steady,
    "grants/team/dave-grafana.yaml": grantYaml(["dave@example.com"], ["Grafana"], "2h"),
    "grants/team/bob-wiki.yaml": grantYaml(["bob@example.com"], ["Wiki"], "2h"),
  });
  serve = await startServeCli(world, ["--trust-git", "--interval", "1h"]);
  await waitFor(async () => (await scopeCount("full", "trigger")) === 1, 15_000, "startup run");
});

afterAll(async () => {
  if (process.env["E2E_LOG"] !== undefined) console.log(serve?.stderr());
  await serve?.stop();
  await world?.close();
});

describe("serve plans a push by the grant files it changed", () => {
  it("creates the rule of one new grant with a name lookup and no full listing", async () => {
    const calls = await pushAndRun(
      { "grants/team/alice-jira.yaml": grantYaml(["alice@example.com"], ["Jira"], "1h") },
      "partial",
      "push",
    );
    expect(world.managed().get("team/alice-jira")?.ruleName).toMatch(
      /^grantops-team-alice-jira-[0-9a-f]{6}$/,
    );
    expect(calls.listings).toBe(0);
    expect(calls.lookups).toHaveLength(1);
    expect(calls.lookups[0]).toContain("ruleName=grantops-team-alice-jira-");
  });

  it("replaces the rule of a changed grant and deletes the rule of a removed one, still without a listing", async () => {
    const old = world.managed().get("team/alice-jira")?.ruleId;
    const bob = world.managed().get("team/bob-wiki")?.ruleId;
    const calls = await pushAndRun(
      {
        "grants/team/alice-jira.yaml": grantYaml(["alice@example.com"], ["Jira", "Wiki"], "1h"),
        "grants/team/bob-wiki.yaml": null,
      },
      "partial",
      "push",
    );
    expect(calls.listings).toBe(0);
    expect(calls.lookups).toHaveLength(2);
    const alice = world.managed().get("team/alice-jira");
    expect(alice?.ruleId).not.toBe(old);
    expect(world.emulator.state.rules.some((rule) => rule.ruleId === old)).toBe(false);
    expect(world.emulator.state.rules.some((rule) => rule.ruleId === bob)).toBe(false);
    // The unchanged grant's rule is neither read nor touched.
    expect(world.managed().has("team/dave-grafana")).toBe(true);
  });

  it("never touches a rule of a grant the push did not change, even a tampered one", async () => {
    const dave = world.emulator.state.rules.find((rule) => rule.ruleName.startsWith("grantops-team-dave"));
    expect(dave).toBeDefined();
    dave!.ruleIsEnabled = false; // an admin's edit: the next full reconcile repairs it
    dave!.modifiedAt = new Date().toISOString();
    const calls = await pushAndRun(
      { "grants/team/erin-wiki.yaml": grantYaml(["erin@example.com"], ["Wiki"], "1h") },
      "partial",
      "push",
    );
    expect(calls.listings).toBe(0);
    expect(world.managed().has("team/erin-wiki")).toBe(true);
    expect(world.emulator.state.rules.find((rule) => rule.ruleId === dave!.ruleId)?.ruleIsEnabled).toBe(
      false,
    );
  });

  it("plans everything when the policy changes, and repairs what the push could not see", async () => {
    const policy = await readFile(fileURLToPath(new URL("../../policy.yaml", import.meta.url)), "utf8");
    const calls = await pushAndRun({ "policy.yaml": `${policy}\n# edited\n` }, "full", "policy-changed");
    expect(calls.listings).toBeGreaterThan(0);
    const dave = world.managed().get("team/dave-grafana");
    expect(dave?.ruleIsEnabled).toBe(true);
    expect(parseMarker(dave?.ruleDescription)?.grant).toBe("team/dave-grafana");
  });

  it("plans everything after a history rewrite (not a fast-forward)", async () => {
    // Rewind main by one commit (the policy edit), force-pushed.
    const before = await scopeCount("full", "not-fast-forward");
    await world.work.git.raw(["reset", "--quiet", "--hard", "HEAD~1"]);
    await world.work.push(world.bare);
    const sha = await world.work.head();
    expect(await deliver(serve.url, "push", pushPayload(sha))).toBe(202);
    await waitFor(async () => (await scopeCount("full", "not-fast-forward")) > before, 15_000, "full run");
    expect(world.managed().has("team/alice-jira")).toBe(true);
    expect(await metrics()).toMatch(/grantops_reconcile_scope_total\{scope="partial",reason="push"\} 3/);
  });

  it("falls back to a full plan when a rule of another grant holds a name the push needs", async () => {
    // A rule carrying another grant's marker under the exact name the grant needs: only a full plan decides.
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const frankYaml = grantYaml(["carol@example.com"], ["Jira"], "1h").replace(
      "duration: 1h",
      `expiresAt: "${expiresAt}"`,
    );
    const calls = await pushAndRun({ "grants/team/frank-jira.yaml": frankYaml }, "partial", "push");
    expect(calls.listings).toBe(0);
    const frank = world.managed().get("team/frank-jira")!;
    const stolen = world.emulator.state.rules.find((rule) => rule.ruleId === frank.ruleId)!;
    stolen.ruleDescription = stolen.ruleDescription!.replace(
      "grant=team/frank-jira",
      "grant=team/dave-grafana",
    );
    stolen.modifiedAt = new Date().toISOString();
    // The same grant again (a comment added): the same rule name, now held by a rule of another grant.
    const again = await pushAndRun(
      { "grants/team/frank-jira.yaml": `${frankYaml}# reviewed\n` },
      "full",
      "name-taken",
    );
    expect(again.listings).toBeGreaterThan(0);
  });
});
