// grantops request --group: writes `groups:` (names or id:N), alone or with --user, names the grantees in its
// output, and refuses (exit 4, file:line) a group on a resource whose policy rule forbids groups.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { useExampleRepos } from "../helpers/example-repo.js";
import { runCli } from "../helpers/run-cli.js";

const clock = (): Date => new Date("2026-11-25T12:00:00Z");
const exampleRepo = useExampleRepos("request-groups");
const reason = ["--reason", "INC-7: on-call needs the dashboards", "--duration", "1h"];

describe("grantops request --group", () => {
  it("writes groups: alone, named after the first group, and says who gets access", async () => {
    const dir = await exampleRepo();
    const run = await runCli(
      ["request", "--group", "oncall-sre", "--group", "id:1173600003", "--resource", "Grafana", ...reason],
      { cwd: dir, clock },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("grants group oncall-sre, group id:1173600003 → Grafana\n");
    expect(run.stdout).toContain("wrote grants/oncall-sre-grafana.yaml\n");
    const text = await readFile(path.join(dir, "grants", "oncall-sre-grafana.yaml"), "utf8");
    expect(text).toContain("groups: [oncall-sre, {id: 1173600003}]\n");
    expect(parse(text)).toEqual({
      version: 1,
      groups: ["oncall-sre", { id: 1173600003 }],
      resources: ["Grafana"],
      reason: "INC-7: on-call needs the dashboards",
      duration: "1h",
    });
  });

  it("writes users and groups together", async () => {
    const dir = await exampleRepo();
    const run = await runCli(
      ["request", "--user", "alice@example.com", "--group", "oncall-sre", "--resource", "Grafana", ...reason],
      { cwd: dir, clock },
    );
    expect(run.code, run.stderr).toBe(0);
    const text = await readFile(path.join(dir, "grants", "alice-grafana.yaml"), "utf8");
    expect(parse(text)).toMatchObject({ users: ["alice@example.com"], groups: ["oncall-sre"] });
  });

  it("refuses a group on prod-db (2 approvals: groups forbidden by default) and needs a user or a group", async () => {
    const dir = await exampleRepo();
    const refused = await runCli(["request", "--group", "oncall-sre", "--resource", "prod-db", ...reason], {
      cwd: dir,
      clock,
    });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(
      /grants\/oncall-sre-prod-db\.yaml:\d+:\d+: error: groups are not allowed for prod-db/,
    );
    const none = await runCli(["request", "--resource", "Grafana", ...reason], { cwd: dir, clock });
    expect(none.code).toBe(4);
    expect(none.stderr).toContain("give at least one --user or --group");
  });
});
