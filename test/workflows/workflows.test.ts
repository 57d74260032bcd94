import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const DIR = join(import.meta.dirname, "../../.github/workflows");

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  permissions?: unknown;
  steps?: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: unknown;
  concurrency?: { group?: string; "cancel-in-progress"?: boolean };
  jobs: Record<string, Job>;
}

const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));
const load = (file: string) => {
  const text = readFileSync(join(DIR, file), "utf8");
  return { text, workflow: parse(text) as Workflow };
};
const steps = (w: Workflow): Step[] => Object.values(w.jobs).flatMap((j) => j.steps ?? []);
const jobPermissions = (w: Workflow): Array<Record<string, string>> =>
  Object.values(w.jobs).map((j) => (j.permissions ?? {}) as Record<string, string>);
const writes = (w: Workflow): string[] =>
  jobPermissions(w).flatMap((p) =>
    Object.entries(p)
      .filter(([, v]) => v === "write")
      .map(([k]) => k),
  );

/** Every string in the tree with the key path that leads to it. */
function strings(node: unknown, path: string[] = []): Array<{ path: string[]; value: string }> {
  if (typeof node === "string") return [{ path, value: node }];
  if (Array.isArray(node)) return node.flatMap((v, i) => strings(v, [...path, String(i)]));
  if (node && typeof node === "object") {
    return Object.entries(node).flatMap(([k, v]) => strings(v, [...path, k]));
  }
  return [];
}

/** Write permissions each workflow may have, per the design (least privilege). */
const ALLOWED_WRITES: Record<string, string[]> = {
  "ci.yml": [],
  "grantops-pr.yml": ["pull-requests", "checks"],
  "grantops-reconcile.yml": ["pull-requests"],
  "grantops-sweep.yml": [],
};

describe("GitHub Actions workflows", () => {
  it("are the expected set", () => {
    expect(files.sort()).toEqual(Object.keys(ALLOWED_WRITES).sort());
  });

  describe.each(files)("%s", (file) => {
    const { text, workflow } = load(file);

    it("grants nothing at the top level and only the allowed writes per job", () => {
      expect(workflow.permissions).toEqual({});
      for (const permissions of jobPermissions(workflow)) {
        expect(typeof permissions).toBe("object"); // never "write-all" / "read-all"
        for (const value of Object.values(permissions)) expect(["read", "write", "none"]).toContain(value);
      }
      expect(writes(workflow).sort()).toEqual([...(ALLOWED_WRITES[file] ?? [])].sort());
      expect(text).not.toMatch(/write-all|read-all/);
    });

    it("pins every action to a full commit SHA with a version comment", () => {
      const uses = steps(workflow).flatMap((s) => (s.uses ? [s.uses] : []));
      expect(uses.length).toBeGreaterThan(0);
      for (const use of uses) expect(use).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
      const lines = text.split("\n").filter((line) => /^\s*(- )?uses:/.test(line));
      expect(lines).toHaveLength(uses.length);
      for (const line of lines) expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    });

    it("checks out without persisting credentials", () => {
      const checkouts = steps(workflow).filter((s) => s.uses?.startsWith("actions/checkout@"));
      expect(checkouts.length).toBeGreaterThan(0);
      for (const step of checkouts) expect(step.with?.["persist-credentials"]).toBe(false);
    });

    it("runs on Node 20", () => {
      for (const step of steps(workflow).filter((s) => s.uses?.startsWith("actions/setup-node@"))) {
        expect(step.with?.["node-version"]).toBe(20);
      }
    });

    it("passes secrets only through env and never expands expressions inside run scripts", () => {
      for (const { path, value } of strings(workflow)) {
        if (value.includes("secrets.")) expect(path.at(-2)).toBe("env");
        if (path.at(-1) === "run") expect(value).not.toContain("${{");
      }
    });

    it("never lets npx download a package", () => {
      for (const step of steps(workflow)) {
        for (const match of step.run?.matchAll(/npx\s+(\S+)/g) ?? []) expect(match[1]).toBe("--no");
      }
    });
  });

  it("PR workflow validates changed files and posts the PR report on grant or policy changes", () => {
    const { workflow } = load("grantops-pr.yml");
    const trigger = workflow.on["pull_request"] as { paths: string[] };
    expect(trigger.paths).toEqual(expect.arrayContaining(["grants/**", "policy.yaml"]));
    const runs = steps(workflow).map((s) => s.run ?? "");
    expect(runs.some((r) => r.includes("grantops validate --changed-since"))).toBe(true);
    expect(runs.some((r) => r.includes("grantops pr-report --pr"))).toBe(true);
    expect(workflow.on["pull_request_target"]).toBeUndefined();
  });

  it("reconcile runs on push, every 5 minutes and on demand in one never-cancelled concurrency group", () => {
    const { workflow } = load("grantops-reconcile.yml");
    expect(Object.keys(workflow.on).sort()).toEqual(["push", "schedule", "workflow_dispatch"]);
    expect(workflow.on["schedule"]).toEqual([{ cron: "*/5 * * * *" }]);
    expect(workflow.concurrency?.group).toBe("grantops-reconcile");
    expect(workflow.concurrency?.["cancel-in-progress"]).toBe(false);
    expect(steps(workflow).some((s) => s.run?.includes("grantops apply"))).toBe(true);
    const checkout = steps(workflow).find((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkout?.with?.["fetch-depth"]).toBe(0);
  });

  it("PR workflow fetches full history for landing times and the base branch", () => {
    const { workflow } = load("grantops-pr.yml");
    const checkout = steps(workflow).find((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkout?.with?.["fetch-depth"]).toBe(0);
  });

  it("sweep runs on its own schedule with vendor secrets only and no GitHub write or token", () => {
    const { text, workflow } = load("grantops-sweep.yml");
    expect(workflow.on["schedule"]).toEqual([{ cron: "*/10 * * * *" }]);
    expect(writes(workflow)).toEqual([]);
    expect(jobPermissions(workflow)).toEqual([{ contents: "read" }]);
    expect(text).not.toContain("GITHUB_TOKEN");
    expect(steps(workflow).some((s) => s.run?.includes("grantops sweep"))).toBe(true);
    expect(workflow.concurrency?.group).not.toBe("grantops-reconcile");
  });
});
