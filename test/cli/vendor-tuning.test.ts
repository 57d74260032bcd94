// GRANTOPS_VENDOR_RETRIES / _TIMEOUT_MS / _MAX_RETRY_TIME_MS: validated at once, and passed to the client
// (runs of `grantops plan` against the emulator with injected faults).
import { afterEach, describe, expect, it } from "vitest";
import { readVendorTuning } from "../../src/cli/read-vendor-tuning.js";
import { createE2eWorld, grantYaml, type E2eWorld } from "../helpers/e2e-world.js";

describe("readVendorTuning", () => {
  it.each([
    [{}, {}],
    [{ GRANTOPS_VENDOR_RETRIES: "" }, {}],
    [{ GRANTOPS_VENDOR_RETRIES: "0" }, { retry: { retries: 0 } }],
    [
      { GRANTOPS_VENDOR_RETRIES: " 3 ", GRANTOPS_VENDOR_MAX_RETRY_TIME_MS: "5000" },
      { retry: { retries: 3, maxRetryTimeMs: 5000 } },
    ],
    [{ GRANTOPS_VENDOR_TIMEOUT_MS: "2500" }, { timeoutMs: 2500 }],
  ])("%j → %j", (env, expected) => {
    expect(readVendorTuning(env)).toEqual(expected);
  });

  it("reports every invalid value at once (exit code 4)", () => {
    const run = () =>
      readVendorTuning({
        GRANTOPS_VENDOR_RETRIES: "-1",
        GRANTOPS_VENDOR_TIMEOUT_MS: "0",
        GRANTOPS_VENDOR_MAX_RETRY_TIME_MS: "1.5",
      });
    expect(run).toThrow(
      expect.objectContaining({
        code: "VENDOR_TUNING_INVALID",
        exitCode: 4,
        message:
          'invalid vendor client settings: GRANTOPS_VENDOR_RETRIES must be an integer >= 0 (got "-1"); ' +
          'GRANTOPS_VENDOR_TIMEOUT_MS must be an integer >= 1 (got "0"); ' +
          'GRANTOPS_VENDOR_MAX_RETRY_TIME_MS must be an integer >= 1 (got "1.5")',
      }),
    );
    expect(() => readVendorTuning({ GRANTOPS_VENDOR_TIMEOUT_MS: "30s" })).toThrow(/TIMEOUT_MS/);
  });
});

describe("vendor tuning against the emulator", () => {
  let world: E2eWorld;
  afterEach(async () => {
    await world?.close();
  });
  const grants = {
    "grants/payments/alice-jira.yaml": grantYaml({ users: ["alice@example.com"], resources: ["Jira"] }),
  };
  const failed503 = (w: E2eWorld) => w.count(/^GET \/policies\/v2\/rules 503$/);

  it("invalid values: exit 4 before any vendor call", async () => {
    world = await createE2eWorld({ grants });
    const run = await world.cli(["plan", "--trust-git"], {
      env: { GRANTOPS_VENDOR_RETRIES: "many", GRANTOPS_VENDOR_TIMEOUT_MS: "-5" },
    });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain("GRANTOPS_VENDOR_RETRIES must be an integer >= 0");
    expect(run.stderr).toContain("GRANTOPS_VENDOR_TIMEOUT_MS must be an integer >= 1");
    expect(world.count(/./)).toBe(0);
  });

  it("GRANTOPS_VENDOR_RETRIES=0: one 503 fails the run at once (exit 1)", async () => {
    world = await createE2eWorld({ grants });
    world.emulator.setFaults("failNext=1:503,routes=rules");
    const run = await world.cli(["plan", "--trust-git"], { env: { GRANTOPS_VENDOR_RETRIES: "0" } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("VENDOR_HTTP_503");
    expect(failed503(world)).toBe(1);
    expect(world.count(/^GET \/policies\/v2\/rules 200$/)).toBe(0);
  });

  it("GRANTOPS_VENDOR_MAX_RETRY_TIME_MS: no retry once that time is spent (default retries)", async () => {
    world = await createE2eWorld({ grants });
    world.emulator.setFaults("failNext=1:503,latency=30ms,routes=rules");
    const run = await world.cli(["plan", "--trust-git"], { env: { GRANTOPS_VENDOR_MAX_RETRY_TIME_MS: "5" } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("VENDOR_HTTP_503");
    expect(failed503(world)).toBe(1);
  });

  it("GRANTOPS_VENDOR_TIMEOUT_MS: a request that does not answer in time is VENDOR_TIMEOUT", async () => {
    world = await createE2eWorld({ grants });
    world.emulator.setFaults("failNext=1:timeout,timeoutMs=2000,routes=rules");
    const run = await world.cli(["plan", "--trust-git"], {
      env: { GRANTOPS_VENDOR_RETRIES: "0", GRANTOPS_VENDOR_TIMEOUT_MS: "100" },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("VENDOR_TIMEOUT");
  });
});
