// Credentials go only to their own endpoint: URL, key and secret come from the same alias, and the command says
// which alias it used. Two emulators on loopback: the generic GRANTOPS_API_URL points at the first, the ACME
// alias at the second; every request with ACME's credentials must reach the second only.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { demoApiKey, demoApiSecret, demoOrganizationId } from "../../src/emulator/default-seed.js";
import { createE2eWorld, grantYaml, packageRoot, type E2eWorld } from "../helpers/e2e-world.js";

let world: E2eWorld;
let first: RunningEmulator;
beforeAll(async () => {
  first = await startEmulator({ limits: { tokenPerMinute: false } });
  // The organization alias ("prod") differs from its credentials alias ("ACME").
  const policy = (await readFile(join(packageRoot, "policy.yaml"), "utf8")).replace(/^ {2}acme:/m, "  prod:");
  world = await createE2eWorld({
    policy,
    grants: { "grants/a/alice.yaml": grantYaml({ users: ["alice@example.com"], resources: ["Jira"] }) },
  });
});
afterAll(async () => {
  await world.close();
  await first.close();
});

/** The generic settings point at the first emulator; ACME's own at the world's (second) one. */
const env = (): Record<string, string> => ({
  GRANTOPS_API_URL: first.url,
  GRANTOPS_API_KEY: demoApiKey,
  GRANTOPS_API_SECRET: demoApiSecret,
  GRANTOPS_ACME_API_URL: world.emulator.url,
});
const requests = (emulator: RunningEmulator): number =>
  Object.values(emulator.counters()).reduce((sum, n) => sum + n, 0);

describe("credentials alias", () => {
  it("sweep --credentials ACME sends ACME's key to ACME's URL only, and says so on stderr", async () => {
    const before = requests(first);
    const seen = requests(world.emulator);
    const run = await world.cli(
      ["sweep", "--org-id", String(demoOrganizationId), "--credentials", "ACME", "--dry-run"],
      { env: env() },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(requests(first), "nothing reaches the generic endpoint").toBe(before);
    expect(requests(world.emulator)).toBeGreaterThan(seen);
    expect(run.stderr).toContain(
      `grantops: using organization "default": credentials alias ACME ` +
        `(GRANTOPS_ACME_API_KEY / GRANTOPS_ACME_API_SECRET), URL ${world.emulator.url} (from GRANTOPS_ACME_API_URL)`,
    );
  });

  it("plan reads the URL of the credentials alias, not of the organization alias", async () => {
    const before = requests(first);
    const seen = requests(world.emulator);
    const run = await world.cli(["plan", "--trust-git"], { env: env() });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toContain("+ create grantops-a-alice-");
    expect(requests(first), "nothing reaches the generic endpoint").toBe(before);
    expect(requests(world.emulator)).toBeGreaterThan(seen);
  });

  it("sweep without --credentials uses the generic set, and says so", async () => {
    const before = requests(first);
    const run = await world.cli(["sweep", "--org-id", String(demoOrganizationId), "--dry-run"], {
      env: env(),
    });
    expect(run.code, run.stderr).toBe(0);
    expect(requests(first)).toBeGreaterThan(before);
    expect(run.stderr).toContain(
      `generic credentials (GRANTOPS_API_KEY / GRANTOPS_API_SECRET), URL ${first.url}`,
    );
  });
});
