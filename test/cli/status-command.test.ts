// grantops status against the emulator and a real git repository: active grants sorted by time left, pending
// grants (approval missing, not started), expiring soon, expiry lags from the journal; JSON valid against
// schemas/status.schema.json; file text never reaches the terminal as control characters.
import { afterEach, describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Ajv2020 } from "ajv/dist/2020.js";
import { createE2eWorld, grantYaml, T0, type E2eWorld } from "../helpers/e2e-world.js";
import type { StatusReport } from "../../src/core/model/status-report.js";

const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(
  JSON.parse(readFileSync("schemas/status.schema.json", "utf8")) as object,
);

function validReport(text: string): StatusReport {
  const value: unknown = JSON.parse(text);
  if (!validate(value)) throw new Error(JSON.stringify(validate.errors, null, 2));
  return value as StatusReport;
}

const at = (offsetSeconds: number): string =>
  new Date(Date.parse(T0) + offsetSeconds * 1000).toISOString().replace(/\.000Z$/, "Z");

const grants = {
  "grants/payments/alice-jira.yaml": [
    "version: 1",
    "users: [alice@example.com]",
    "resources: [Jira]",
    'reason: "CHG-7 \\e[2J\\e]0;pwned\\a cleared the screen"',
    "duration: 4h",
    "",
  ].join("\n"),
  "grants/data/bob-wiki.yaml": grantYaml({
    users: ["bob@example.com"],
    resources: ["Wiki"],
    expiresAt: at(1800),
  }),
  "grants/data/carol-later.yaml": [
    "version: 1",
    "users: [carol@example.com]",
    "resources: [Grafana]",
    'reason: "CHG-8: dashboards for the quarterly review"',
    `startsAt: ${at(5 * 3600)}`,
    "duration: 1h",
    "",
  ].join("\n"),
};

let world: E2eWorld;
let server: Server | undefined;
afterEach(async () => {
  await world?.close();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  server = undefined;
});

describe("grantops status", () => {
  test("lists active grants by time left, pending ones, what expires soon and recent expiry lags", async () => {
    world = await createE2eWorld({ grants });
    expect((await world.cli(["apply", "--trust-git"])).code).toBe(0);
    world.advance(600);
    const run = await world.cli(["status", "--trust-git", "--format", "json", "--within", "30m"], {
      env: { GRANTOPS_GITHUB_REPOSITORY: "acme/grants" },
    });
    expect(run.code, run.stderr).toBe(0);
    const report = validReport(run.stdout);
    expect(report).toMatchObject({
      version: 1,
      source: "repository",
      withinSeconds: 1800,
      repository: "acme/grants",
    });
    const [acme] = report.organizations;
    expect(acme!.active.map((g) => [g.grantId, g.state, g.secondsLeft])).toEqual([
      ["data/bob-wiki", "active", 1800 - 660],
      ["payments/alice-jira", "active", 4 * 3600 - 660],
    ]);
    expect(acme!.active[0]).toMatchObject({
      users: ["bob@example.com"],
      resources: ["Wiki"],
      expiresAt: at(1800),
      file: "grants/data/bob-wiki.yaml",
    });
    expect(acme!.active[0]!.fileUrl).toMatch(
      /^https:\/\/github\.com\/acme\/grants\/blob\/[0-9a-f]{40}\/grants\/data\/bob-wiki\.yaml$/,
    );
    expect(acme!.expiringSoon).toEqual(["data/bob-wiki"]);
    expect(acme!.pending).toEqual([
      expect.objectContaining({ grantId: "data/carol-later", kind: "not-started", startsAt: at(5 * 3600) }),
    ]);
    expect(world.managed()).toHaveLength(2);

    world.setNow(at(1800 + 2));
    expect((await world.cli(["apply", "--trust-git"])).code).toBe(0);
    const after = validReport((await world.cli(["status", "--trust-git", "--format", "json"])).stdout);
    expect(after.runs.expiryLags).toEqual([
      expect.objectContaining({ grantId: "data/bob-wiki", expiresAt: at(1800), lagSeconds: 2 }),
    ]);
    expect(after.organizations[0]!.active.map((g) => g.grantId)).toEqual(["payments/alice-jira"]);
  });

  test("without approvals the live rule shows as active and its grant as waiting for approval", async () => {
    world = await createE2eWorld({ grants });
    expect((await world.cli(["apply", "--trust-git"])).code).toBe(0);
    const run = await world.cli(["status", "--format", "json"]);
    const [acme] = validReport(run.stdout).organizations;
    expect(acme!.pending.filter((p) => p.kind === "approval").map((p) => p.grantId)).toEqual([
      "data/bob-wiki",
      "data/carol-later",
      "payments/alice-jira",
    ]);
    expect(acme!.pending.find((p) => p.grantId === "data/bob-wiki")?.detail).toMatch(/\S/);
    expect(world.writes()).toBeGreaterThan(0);
  });

  test("the table shows time left and never passes control characters from a grant file to the terminal", async () => {
    world = await createE2eWorld({ grants });
    expect((await world.cli(["apply", "--trust-git"])).code).toBe(0);
    const writes = world.writes();
    const run = await world.cli(["status", "--trust-git"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /29m 00s +2026-03-02T09:30:00Z +data\/bob-wiki +bob@example\.com +Wiki +active/,
    );
    expect(run.stdout).toMatch(/not-started +data\/carol-later +2026-03-02T14:00:00Z/);
    expect(run.stdout).toContain("Expiring within 1h 00m: data/bob-wiki");
    // The hostile reason is printed without its escape characters (ESC, BEL).
    expect(run.stdout).toContain("CHG-7 ?[2J?]0;pwned? cleared the screen");
    expect(run.stdout.includes("\u001b") || run.stdout.includes("\u0007")).toBe(false);
    expect(world.writes(), "status writes nothing").toBe(writes);
  });

  test("--serve: an answer that is not a status report is an error, never an empty status", async () => {
    world = await createE2eWorld();
    server = createServer((_q, r) => r.end(JSON.stringify({ version: 1, organizations: [] })));
    await new Promise<void>((done) => server!.listen(0, "127.0.0.1", done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const run = await world.cli(["status", "--serve", url]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("is not a grantops status report");
  });

  test("a group-only grant shows its group, in JSON (valid) and in the table, never ?", async () => {
    const oncall = [
      "version: 1",
      "groups: [oncall-sre]",
      "resources: [Grafana]",
      'reason: "INC-9: dashboards"',
      "duration: 2h",
      "",
    ];
    world = await createE2eWorld({ grants: { "grants/ops/oncall-grafana.yaml": oncall.join("\n") } });
    expect((await world.cli(["apply", "--trust-git"])).code).toBe(0);
    const run = await world.cli(["status", "--trust-git", "--format", "json"]);
    expect(run.code, run.stderr).toBe(0);
    const [active] = validReport(run.stdout).organizations[0]!.active;
    expect(active).toMatchObject({
      grantId: "ops/oncall-grafana",
      users: [],
      groups: ["oncall-sre"],
      resources: ["Grafana"],
    });
    const table = await world.cli(["status", "--trust-git"]);
    expect(table.stdout).toMatch(/ops\/oncall-grafana +group oncall-sre +Grafana +active/);
  });
});
