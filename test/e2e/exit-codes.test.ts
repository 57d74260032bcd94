// Bad input is exit 4 with one clear line, with and without GRANTOPS_DEBUG=1: bad numeric options, rejected
// vendor credentials (a real token request to the emulator).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createE2eWorld, type E2eWorld } from "../helpers/e2e-world.js";

let world: E2eWorld;
beforeAll(async () => {
  world = await createE2eWorld();
});
afterAll(async () => {
  await world.close();
});

const modes = [
  ["default", undefined],
  ["GRANTOPS_DEBUG=1", "1"],
] as const;

/** One `grantops: error: ...` line, no stack frames. */
function expectOneLine(stderr: string, pattern: RegExp): void {
  expect(stderr).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr.trim().split("\n")).toHaveLength(1);
}

describe.each(modes)("exit codes and messages (%s)", (_mode, debug) => {
  const env = { GRANTOPS_DEBUG: debug };

  it.each([["plan"], ["apply"]])("%s: wrong vendor credentials exit 4 with one line", async (command) => {
    const run = await world.cli([command, "--trust-git"], {
      env: { ...env, GRANTOPS_ACME_API_SECRET: "not-the-secret" },
    });
    expect(run.code).toBe(4);
    expectOneLine(run.stderr, /^grantops: error: .*check the API key and secret.*\[TOKEN_FAILED\]$/m);
  });

  it("sweep: wrong vendor credentials exit 4 with one line", async () => {
    const run = await world.cli(["sweep", "--org-id", "8123456", "--credentials", "ACME"], {
      env: { ...env, GRANTOPS_ACME_API_KEY: "not-the-key" },
    });
    expect(run.code).toBe(4);
    expectOneLine(run.stderr.replace(/^grantops: using .*\n/m, ""), /\[TOKEN_FAILED\]$/m);
  });

  it.each([[""], ["0x10"], ["1e3"], ["-1"], [" 5"], ["2.5"]])(
    "--max-deletes %j is refused (exit 4), never read as a number",
    async (value) => {
      const tokens = world.count(/token/);
      const run = await world.cli(["plan", "--trust-git", "--max-deletes", value], { env });
      expect(run.code).toBe(4);
      expect(run.stderr).toContain(`--max-deletes / GRANTOPS_MAX_DELETES must be a decimal whole number`);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(world.count(/token/), "refused before any vendor call").toBe(tokens);
    },
  );

  it.each([["0x10"], [""], ["1e6"]])(
    "sweep --org-id %j is refused (exit 4) without a trace",
    async (value) => {
      const run = await world.cli(["sweep", "--org-id", value], { env });
      expect(run.code).toBe(4);
      expectOneLine(run.stderr, /--org-id must be a positive decimal whole number.*\[CONFIG_INVALID\]$/m);
    },
  );

  it("an unknown option is exit 4 without a trace", async () => {
    const run = await world.cli(["plan", "--no-such-option"], { env });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/unknown option '--no-such-option'/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
