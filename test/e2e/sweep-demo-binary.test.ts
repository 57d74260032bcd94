// End to end: `grantops sweep` with only vendor credentials, `grantops demo`, and the built binary.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, test } from "vitest";
import { readJournal } from "../../src/reconcile/journal.js";
import { demoApiKey, demoApiSecret } from "../../src/emulator/default-seed.js";
import { createE2eWorld, grantYaml, packageRoot, T0, type E2eWorld } from "../helpers/e2e-world.js";
import { runCli } from "../helpers/run-cli.js";

const exec = promisify(execFile);
const at = (offsetSeconds: number): string =>
  new Date(Date.parse(T0) + offsetSeconds * 1000).toISOString().replace(/\.000Z$/, "Z");
const hour = 3600;

let world: E2eWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe("grantops sweep (no repository)", () => {
  test("deletes only expired managed rules; live, tampered-live, foreign and default rules stay; --dry-run writes nothing", async () => {
    const w = await createE2eWorld({
      grants: {
        "grants/t/alice.yaml": grantYaml({
          users: ["alice@example.com"],
          resources: ["Jira"],
          duration: "4h",
        }),
        "grants/t/carol.yaml": grantYaml({
          users: ["carol@example.com"],
          resources: ["Grafana"],
          duration: "8h",
        }),
        "grants/t/dave.yaml": grantYaml({ users: ["dave@example.com"], resources: ["Wiki"], duration: "8h" }),
      },
    });
    world = w;
    expect((await w.cli(["apply", "--trust-git"])).code).toBe(0);
    const dave = w.managed().find((r) => r.ruleName.startsWith("grantops-t-dave-"))!;
    dave.ruleIsEnabled = false; // tampered, but its marker says it is live: left for the reconciler
    dave.modifiedAt = new Date(Date.parse(dave.createdAt!) + 5000).toISOString();
    const nothingHere = await w.repo.tempDir();
    const env = {
      GRANTOPS_REPO: undefined,
      GRANTOPS_ACME_API_KEY: undefined,
      GRANTOPS_ACME_API_SECRET: undefined,
      GRANTOPS_ACME_API_URL: undefined,
      GRANTOPS_API_URL: w.emulator.url,
      GRANTOPS_API_KEY: demoApiKey,
      GRANTOPS_API_SECRET: demoApiSecret,
    };
    w.setNow(at(5 * hour));
    const writes = w.writes();

    const dry = await w.cli(["sweep", "--org-id", "8094936", "--dry-run"], { env, cwd: nothingHere });
    expect(dry.code, dry.stderr).toBe(2);
    expect(dry.stdout).toMatch(/- delete grantops-t-alice-[0-9a-f]{6}/);
    expect(w.writes()).toBe(writes);
    expect(w.managed()).toHaveLength(3);

    const sweep = await w.cli(["sweep", "--org-id", "8094936"], { env, cwd: nothingHere });
    expect(sweep.code, sweep.stderr).toBe(0);
    expect(sweep.stdout).toContain("applied: 1 ok, 0 failed, 0 skipped");
    expect(w.managed().map((r) => r.ruleName.replace(/-[0-9a-f]{6}$/, ""))).toEqual([
      "grantops-t-carol",
      "grantops-t-dave",
    ]);
    expect(w.managed().find((r) => r.ruleId === dave.ruleId)?.ruleIsEnabled).toBe(false);
    const journal = await readJournal(join(nothingHere, ".grantops", "journal.jsonl"));
    expect(journal).toEqual([
      expect.objectContaining({
        organization: "default",
        commit: null,
        action: "delete",
        reason: "expired",
        grantId: "t/alice",
        outcome: "ok",
        lagSeconds: hour,
      }),
    ]);

    const again = await w.cli(["sweep", "--org-id", "8094936", "--credentials", "ACME", "--dry-run"], {
      cwd: nothingHere,
      env: { GRANTOPS_REPO: undefined },
    });
    expect(again.code, again.stderr).toBe(0);
  });
});

describe("grantops demo", () => {
  test("tells the whole story and exits 0", async () => {
    const run = await runCli(["demo", "--short-duration", "3"], { env: { GRANTOPS_LOG_LEVEL: "silent" } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/✓ created grantops-payments-alice-jira-[0-9a-f]{6}/);
    expect(run.stdout).toMatch(/✓ deleted grantops-payments-alice-jira-[0-9a-f]{6} \(rule \d+\): removed/);
    expect(run.stdout).toMatch(/✓ deleted grantops-sre-bob-prod-db-[0-9a-f]{6} \(rule \d+\): tampered/);
    expect(run.stdout).toMatch(/✓ deleted grantops-demo-erin-wiki-[0-9a-f]{6} \(rule \d+\): expired/);
    expect(run.stdout).toContain("must stay untouched");
    expect(run.stdout).toContain(
      'Rules grantops does not own, unchanged: "Engineering wiki access", "Default Internet Rule", "Default Private Access Rule"',
    );
    expect(run.stdout).toMatch(/Plan again: 0 steps/);
    expect(run.stdout).not.toContain("✗");
  });
});

describe("the packaged CLI", () => {
  test("node bin/grantops.js plan runs the built code against the emulator and a git repository", async () => {
    const w = await createE2eWorld();
    world = w;
    // The child process has the real clock: land the grant a minute ago so it is live.
    await w.commit(
      { "grants/t/alice.yaml": grantYaml({ users: ["alice@example.com"], resources: ["Jira"] }) },
      new Date(Date.now() - 60_000).toISOString(),
    );
    const args = [join(packageRoot, "bin", "grantops.js"), "plan", "--trust-git", "--format", "json"];
    const child = await exec(process.execPath, args, {
      cwd: w.home,
      env: { PATH: process.env["PATH"] ?? "", ...w.env },
    }).then(
      (done) => ({ code: 0, stdout: done.stdout, stderr: done.stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(child.code, child.stderr).toBe(2);
    expect(child.stderr).toContain("changes pending (exit 2)");
    const set = JSON.parse(child.stdout) as {
      plans: Array<{ orgId: number; steps: Array<{ kind: string; grantId: string }> }>;
    };
    expect(set.plans[0]!.orgId).toBe(8094936);
    expect(set.plans[0]!.steps.map((s) => [s.kind, s.grantId])).toEqual([["create", "t/alice"]]);
    expect(w.writes()).toBe(0);
  });
});
