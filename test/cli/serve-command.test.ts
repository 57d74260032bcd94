import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import {
  createServeWorld,
  grantYaml,
  startServeCli,
  waitFor,
  type ServeWorld,
} from "../serve-e2e/serve-world.js";

describe("grantops serve: settings", () => {
  it("reports every missing or invalid setting at once (exit 4) without starting", async () => {
    const run = await runCli(["serve", "--port", "99999", "--interval", "1s"], { env: {} });
    expect(run.code).toBe(4);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("--repo / GRANTOPS_REPO is required");
    expect(run.stderr).toContain("GRANTOPS_WEBHOOK_SECRET or GRANTOPS_WEBHOOK_SECRET_FILE is required");
    expect(run.stderr).toContain("--port / GRANTOPS_PORT must be an integer");
    expect(run.stderr).toContain("--interval / GRANTOPS_RECONCILE_INTERVAL");
  });

  it("refuses a weak webhook secret (exit 4) and says how to generate one", async () => {
    const run = await runCli(["serve", "--repo", "."], { env: { GRANTOPS_WEBHOOK_SECRET: "a" } });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain("GRANTOPS_WEBHOOK_SECRET must have at least 16 non-blank characters");
    expect(run.stderr).toContain("openssl rand -hex 32");
  });

  it("never prints the webhook secret", async () => {
    const run = await runCli(["serve", "--port", "x"], {
      env: { GRANTOPS_WEBHOOK_SECRET: "s3cret-value-1234" },
    });
    expect(run.code).toBe(4);
    expect(run.stderr).not.toContain("s3cret-value-1234");
  });

  it("lists serve and pr-report in --help", async () => {
    const run = await runCli(["--help"]);
    expect(run.stdout).toMatch(/serve \[options\]/);
    expect(run.stdout).toMatch(/pr-report \[options\]/);
  });
});

describe("grantops serve: running", () => {
  let world: ServeWorld;
  beforeAll(async () => {
    world = await createServeWorld();
    await world.push({ "grants/t/alice-jira.yaml": grantYaml(["alice@example.com"], ["Jira"], "1h") });
  });
  afterAll(async () => world?.close());

  it("reconciles at startup from a local bare repository path, logs JSON to stderr, exits 0 on abort", async () => {
    world.env["GRANTOPS_LOG_LEVEL"] = "info";
    const serve = await startServeCli(world, ["--repo", world.bare, "--trust-git"]);
    world.env["GRANTOPS_LOG_LEVEL"] = "silent";
    await waitFor(() => world.managed().has("t/alice-jira"), 15_000, "startup run");
    await waitFor(async () => (await fetch(`${serve.url}/readyz`)).status === 200, 5_000, "ready");
    expect(await serve.stop()).toBe(0);
    expect(serve.stdout()).toBe(`listening on ${serve.url}\n`);
    const lines = serve
      .stderr()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.some((line) => line["msg"] === "reconcile run done")).toBe(true);
    expect(lines.some((line) => line["msg"] === "stopped")).toBe(true);
    expect(serve.stderr()).not.toContain(world.env["GRANTOPS_WEBHOOK_SECRET"]);
    expect(serve.stderr()).not.toContain(world.env["GRANTOPS_ACME_API_SECRET"]);
  });

  it("without GitHub and without --trust-git, grants stay unverified (nothing is created)", async () => {
    const before = world.managed().size;
    await world.push({ "grants/t/bob-wiki.yaml": grantYaml(["bob@example.com"], ["Wiki"], "1h") });
    const serve = await startServeCli(world, []);
    await waitFor(async () =>
      (await (await fetch(`${serve.url}/metrics`)).text()).includes("grantops_grants_unverified 2"),
    );
    expect(await serve.stop()).toBe(0);
    expect(world.managed().size).toBe(before);
  });
});
