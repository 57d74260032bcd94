// grantops request / extend against the Secure Access emulator on 127.0.0.1: names looked up before review.
import { access, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { demoApiKey, demoApiSecret } from "../../src/emulator/default-seed.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { useExampleRepos } from "../helpers/example-repo.js";
import { runCli } from "../helpers/run-cli.js";

const clock = (): Date => new Date("2026-11-25T12:00:00Z");
const exampleRepo = useExampleRepos("request-names");
const reason = ["--reason", "CHG-77: look into the failing import"];

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ limits: { tokenPerMinute: false } });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const env = (overrides: Record<string, string> = {}) => ({
  GRANTOPS_ACME_API_KEY: demoApiKey,
  GRANTOPS_ACME_API_SECRET: demoApiSecret,
  GRANTOPS_ACME_API_URL: emulator.url,
  GRANTOPS_LOG_LEVEL: "silent",
  GRANTOPS_VENDOR_RETRIES: "1",
  ...overrides,
});

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

async function request(dir: string, args: string[], extraEnv?: Record<string, string>) {
  return runCli(["request", "--duration", "2h", ...reason, ...args], { cwd: dir, clock, env: env(extraEnv) });
}

describe("grantops request with Secure Access configured", () => {
  it("refuses a mistyped resource with its close match, at its line, writing nothing", async () => {
    const dir = await exampleRepo();
    const run = await request(dir, ["--user", "erin@example.com", "--resource", "Wikki"]);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/^grantops: refusing to write grants\/erin-wikki\.yaml:\n/);
    expect(run.stderr).toMatch(
      /grants\/erin-wikki\.yaml:\d+:\d+: error: no private resource 'Wikki' in Secure Access; did you mean 'Wiki'\? \[resource-not-found\]/,
    );
    expect(await exists(path.join(dir, "grants/erin-wikki.yaml"))).toBe(false);
  });

  it("reports every unknown name at once: a misspelt e-mail and a resource", async () => {
    const dir = await exampleRepo();
    const run = await request(dir, [
      "--id",
      "two-typos",
      "--user",
      "alcie@example.com",
      "--user",
      "bob@exmaple.com",
      "--resource",
      "Jira",
      "--resource",
      "prod-bd",
    ]);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(
      "no user 'alcie@example.com' in Secure Access; did you mean 'alice@example.com'? [user-not-found]",
    );
    // Bob's label is "Bob Builder (bob@example.com)": the part a requester types is what is suggested.
    expect(run.stderr).toContain(
      "no user 'bob@exmaple.com' in Secure Access; did you mean 'bob@example.com'? [user-not-found]",
    );
    expect(run.stderr).toContain(
      "no private resource 'prod-bd' in Secure Access; did you mean 'prod-db'? [resource-not-found]",
    );
    expect(run.stderr).not.toContain("Jira'");
    expect(run.stderr).toContain("3 errors");
  });

  it("refuses a mistyped directory group with its close match", async () => {
    const dir = await exampleRepo();
    const run = await request(dir, ["--id", "sre-graf", "--group", "oncal-sre", "--resource", "Grafana"]);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(
      /grants\/sre-graf\.yaml:\d+:\d+: error: no group 'oncal-sre' in Secure Access; did you mean 'oncall-sre'\? \[group-not-found\]/,
    );
    const ok = await request(dir, ["--id", "sre-graf", "--group", "oncall-sre", "--resource", "Grafana"]);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it("says so when nothing is close", async () => {
    const dir = await exampleRepo();
    const run = await request(dir, ["--user", "erin@example.com", "--resource", "Mainframe"]);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain("no private resource 'Mainframe' in Secure Access [resource-not-found]");
  });

  it("refuses a deleted identity and an unknown id (no guesses for ids)", async () => {
    const dir = await exampleRepo();
    const run = await request(dir, [
      "--id",
      "gone",
      "--user",
      "mallory@example.com",
      "--resource",
      "id:999999",
    ]);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(
      "no user 'mallory@example.com' in Secure Access: it is a deleted user [user-not-found]",
    );
    expect(run.stderr).toMatch(/resource \{id: 999999\} was not found: .*\[resource-not-found\]/);
  });

  it("writes the file when every name exists, and says they were checked", async () => {
    const dir = await exampleRepo();
    const run = await request(dir, [
      "--user",
      "Erin@Example.com",
      "--user",
      "bob@example.com",
      "--resource",
      "Wiki",
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('names checked in Secure Access (organization "acme"): all 3 found\n');
    expect(await exists(path.join(dir, "grants/erin-wiki.yaml"))).toBe(true);
  });

  it("without credentials writes the file and says the names were not checked", async () => {
    const dir = await exampleRepo();
    const run = await runCli(
      ["request", "--user", "erin@example.com", "--resource", "Wikki", "--duration", "2h", ...reason],
      { cwd: dir, clock, env: { GRANTOPS_LOG_LEVEL: "silent" } },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'names not checked in Secure Access: no Secure Access credentials for organization "acme" (GRANTOPS_ACME_API_KEY and GRANTOPS_ACME_API_SECRET)',
    );
    expect(await exists(path.join(dir, "grants/erin-wikki.yaml"))).toBe(true);
  });

  it("--no-check-names skips the lookups", async () => {
    const dir = await exampleRepo();
    const run = await request(dir, ["--user", "erin@example.com", "--resource", "Wikki", "--no-check-names"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("names not checked in Secure Access: --no-check-names");
    expect(emulator.counters()).toEqual({});
  });

  it.each<[string, string, Record<string, string>, number, RegExp]>([
    ["a 500 from every lookup", "500=1,routes=policies+reports", {}, 1, /\[VENDOR_HTTP_500\]/],
    ["rejected credentials (401)", "", { GRANTOPS_ACME_API_SECRET: "wrong" }, 4, /\[TOKEN_FAILED\]/],
  ])("%s is an error of its own, not an unknown name", async (_title, faults, extra, code, message) => {
    emulator.setFaults(faults);
    const dir = await exampleRepo();
    const before = await readdir(path.join(dir, "grants"), { recursive: true });
    const run = await request(dir, ["--user", "erin@example.com", "--resource", "Wiki"], extra);
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/did you mean|no private resource|not found|refusing to write/);
    expect(await readdir(path.join(dir, "grants"), { recursive: true })).toEqual(before);
  });
});

describe("grantops extend with Secure Access configured", () => {
  it("checks the names of the new version too", async () => {
    const dir = await exampleRepo();
    await writeFile(
      path.join(dir, "grants/typo.yaml"),
      'version: 1\nusers: [erin@example.com]\nresources: [Grafanna]\nreason: "CHG-9: dashboards"\nduration: 1h\n',
    );
    const run = await runCli(["extend", "typo", "--duration", "2h"], { cwd: dir, clock, env: env() });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(
      "grants/typo.yaml:3:13: error: no private resource 'Grafanna' in Secure Access; did you mean 'Grafana'? [resource-not-found]",
    );
  });
});
