// The committed Action bundle (action/dist/index.js): up to date with the sources, and runnable on its own with
// only the Action's inputs, against the emulator and a real temporary grants repository.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { demoApiKey, demoApiSecret } from "../../src/emulator/default-seed.js";
import { createE2eWorld, grantYaml, packageRoot, type E2eWorld } from "../helpers/e2e-world.js";

const exec = promisify(execFile);
const bundle = join(packageRoot, "action/dist/index.js");

let world: E2eWorld | undefined;
const temps: string[] = [];
afterEach(async () => {
  await world?.close();
  world = undefined;
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function temp(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "grantops-action-"));
  temps.push(dir);
  return dir;
}

/** Runs the bundle as the runner would: only PATH, the runner's variables and INPUT_* (no GRANTOPS_*). */
async function runBundle(inputs: Record<string, string>, runnerTemp: string, cwd: string) {
  const env: Record<string, string> = {
    PATH: process.env["PATH"] ?? "",
    HOME: runnerTemp,
    RUNNER_TEMP: runnerTemp,
    GITHUB_OUTPUT: join(runnerTemp, "output"),
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  try {
    const { stdout, stderr } = await exec(process.execPath, [bundle], { env, cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("the Action bundle", () => {
  it("is what `npm run bundle` builds from the current sources", async () => {
    const dir = await temp();
    const fresh = join(dir, "index.js");
    await exec(process.execPath, [join(packageRoot, "scripts/bundle-action.mjs"), "--outfile", fresh], {
      cwd: packageRoot,
    });
    const [committed, rebuilt] = await Promise.all([readFile(bundle), readFile(fresh)]);
    expect(
      committed.equals(rebuilt),
      "action/dist/index.js is stale: run `npm run bundle` and commit action/dist/index.js",
    ).toBe(true);
  }, 60_000);

  it("applies and sweeps with inputs only (credentials alias, vendor key, journal under RUNNER_TEMP)", async () => {
    const w = await createE2eWorld();
    world = w;
    const landed = new Date(Date.now() - 600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    await w.commit(
      {
        "grants/ops/alice.yaml": grantYaml({
          users: ["alice@example.com"],
          resources: ["Jira"],
          duration: "4h",
        }),
      },
      landed,
    );
    const runnerTemp = await temp();
    const vendor = {
      credentials: "acme",
      "api-key": demoApiKey,
      "api-secret": demoApiSecret,
      "api-url": w.emulator.url,
    };

    const apply = await runBundle(
      { command: "apply", repository: w.repo.dir, "trust-git": "true", "github-token": "", ...vendor },
      runnerTemp,
      w.home,
    );
    expect(apply.code, apply.stderr).toBe(0);
    expect(w.managed().map((rule) => rule.ruleName)).toEqual([expect.stringMatching(/^grantops-ops-alice-/)]);
    const journal = await readFile(join(runnerTemp, "grantops-journal.jsonl"), "utf8");
    expect(journal).toContain('"action":"create"');
    expect(await readFile(join(runnerTemp, "output"), "utf8")).toBe("exit-code=0\n");

    const sweep = await runBundle(
      { command: "sweep", "org-id": "8094936", organization: "acme", "dry-run": "true", ...vendor },
      runnerTemp,
      runnerTemp,
    );
    expect(sweep.code, sweep.stderr).toBe(0); // the rule is live: nothing to sweep
    expect(w.managed()).toHaveLength(1);
  }, 60_000);

  it("pr-report reads the pull request's head as git objects from a clone URL, and never checks it out", async () => {
    const w = await createE2eWorld();
    world = w;
    const base = (await w.repo.git.revparse(["HEAD"])).trim();
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    const head = await w.commit(
      {
        "grants/ops/bob.yaml": grantYaml({ users: ["bob@example.com"], resources: ["Wiki"], duration: "2h" }),
      },
      now,
    );
    await w.repo.git.raw(["update-ref", "refs/pull/5/head", head]);
    await w.repo.git.raw(["reset", "--hard", base]);
    const runnerTemp = await temp();
    const run = await runBundle(
      {
        command: "pr-report",
        repository: `file://${w.repo.dir}`,
        pr: "5",
        "github-token": "",
        credentials: "acme",
        "api-key": demoApiKey,
        "api-secret": demoApiSecret,
        "api-url": w.emulator.url,
      },
      runnerTemp,
      runnerTemp,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("ops/bob");
    expect(run.stdout).toMatch(/create/i);
    const cached = await readdir(join(runnerTemp, "grantops-repos"));
    expect(cached).toHaveLength(1);
    // A bare clone: no working tree, so no file of the pull request was ever written out.
    expect(await readdir(join(runnerTemp, "grantops-repos", cached[0]!))).not.toContain("grants");
    expect(w.managed()).toHaveLength(0); // planning only
  }, 60_000);

  it("fails with exit 4 and a one-line message on a bad command input", async () => {
    const runnerTemp = await temp();
    const run = await runBundle({ command: "plan" }, runnerTemp, runnerTemp);
    expect(run.code).toBe(4);
    expect(run.stderr).toBe(
      'grantops: error: input command "plan": use one of pr-report, apply, sweep, validate [action-input]\n',
    );
  });
});
