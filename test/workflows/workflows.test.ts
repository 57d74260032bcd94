import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { workflowFiles } from "./workflow-files.js";

interface Step {
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  permissions?: unknown;
  environment?: unknown;
  steps?: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: unknown;
  concurrency?: { group?: string; "cancel-in-progress"?: boolean };
  jobs: Record<string, Job>;
}

const all = workflowFiles();
const files = all.map((f) => f.path);
const load = (file: string) => {
  const text = all.find((f) => f.path === file)?.text ?? "";
  return { text, workflow: parse(text) as Workflow };
};
const dogfood = (name: string) => `.github/workflows/${name}`;
const template = (name: string) => `examples/grants-repo/.github/workflows/${name}`;
/** The grantops Action: this repository's own (`./`, dogfood) or the pinned one (template). */
const isGrantops = (s: Step) => s.uses === "./" || /^[\w.-]+\/grantops@[0-9a-f]{40}$/.test(s.uses ?? "");
const grantopsSteps = (w: Workflow) => steps(w).filter(isGrantops);
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
  [dogfood("ci.yml")]: [],
  [dogfood("grantops-pr.yml")]: ["pull-requests", "checks"],
  // contents: the journal entries, appended to the grantops-journal branch (docs/git-and-apply.md).
  [dogfood("grantops-pr-refresh.yml")]: ["pull-requests", "checks"],
  [dogfood("grantops-review.yml")]: [],
  [dogfood("grantops-reconcile.yml")]: ["contents", "pull-requests"],
  [dogfood("grantops-sweep.yml")]: ["contents"],
  [template("grantops-pr.yml")]: ["pull-requests", "checks"],
  [template("grantops-pr-refresh.yml")]: ["pull-requests", "checks"],
  [template("grantops-review.yml")]: [],
  [template("grantops-reconcile.yml")]: ["contents", "pull-requests"],
  [template("grantops-sweep.yml")]: ["contents"],
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
      const uses = steps(workflow).flatMap((s) => (s.uses && s.uses !== "./" ? [s.uses] : []));
      if (!file.endsWith("grantops-review.yml")) expect(uses.length).toBeGreaterThan(0);
      for (const use of uses) expect(use).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
      const lines = text
        .split("\n")
        .filter((line) => /^\s*(- )?uses:/.test(line) && !/uses: \.\/$/.test(line));
      expect(lines).toHaveLength(uses.length);
      for (const line of lines) expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+(:.*)?$/);
    });

    it("checks out without persisting credentials", () => {
      const checkouts = steps(workflow).filter((s) => s.uses?.startsWith("actions/checkout@"));
      for (const step of checkouts) expect(step.with?.["persist-credentials"]).toBe(false);
    });

    it("runs on the oldest supported Node (20) and the current LTS", () => {
      for (const step of steps(workflow).filter((s) => s.uses?.startsWith("actions/setup-node@"))) {
        expect(step.with?.["node-version"]).toBe("${{ matrix.node }}");
      }
    });

    it("passes secrets only through env or action inputs and never expands expressions inside run scripts", () => {
      for (const { path, value } of strings(workflow)) {
        if (value.includes("secrets.")) expect(["env", "with"]).toContain(path.at(-2));
        if (path.at(-1) === "run") expect(value).not.toContain("${{");
      }
    });

    it("installs nothing per run (the Action is bundled)", () => {
      if (file.endsWith("ci.yml")) return;
      for (const step of steps(workflow)) expect(step.run ?? "").not.toMatch(/\bnpm\b/);
      expect(steps(workflow).some((s) => s.uses?.startsWith("actions/setup-node@"))).toBe(false);
    });

    it("uses the grantops Action of the default branch (dogfood) or pinned by sha (template)", () => {
      if (file.endsWith("ci.yml") || file.endsWith("grantops-review.yml")) return;
      const grantops = grantopsSteps(workflow);
      expect(grantops.length).toBeGreaterThan(0);
      if (file.startsWith("examples/")) {
        for (const step of grantops) expect(step.uses).not.toBe("./");
        expect(steps(workflow).some((s) => s.uses?.startsWith("actions/checkout@"))).toBe(false);
      } else {
        const checkout = steps(workflow).find((s) => s.uses?.startsWith("actions/checkout@"));
        expect(checkout?.with?.["ref"]).toBe("${{ github.event.repository.default_branch }}");
      }
    });

    it("never lets npx download a package", () => {
      for (const step of steps(workflow)) {
        for (const match of step.run?.matchAll(/npx\s+(\S+)/g) ?? []) expect(match[1]).toBe("--no");
      }
    });
  });

  const command = (w: Workflow) => grantopsSteps(w).map((s) => s.with?.["command"]);
  const crons = (w: Workflow) => ((w.on["schedule"] ?? []) as Array<{ cron: string }>).map((c) => c.cron);

  describe.each([dogfood, template])("%s", (at) => {
    it("PR workflow: pr-report on grant or policy changes, read-only vendor key, no environment", () => {
      const { workflow } = load(at("grantops-pr.yml"));
      // pull_request_target: the workflow file comes from the base branch, so a pull request that edits it cannot
      // reach the read-only key or the App key; the job never checks out or runs the pull request's code.
      const trigger = workflow.on["pull_request_target"] as { paths: string[] };
      expect(trigger.paths).toEqual(expect.arrayContaining(["grants/**", "policy.yaml"]));
      expect(workflow.on["pull_request"]).toBeUndefined();
      expect(command(workflow)).toEqual(["pr-report"]);
      const step = grantopsSteps(workflow)[0]!;
      expect(step.with?.["api-key"]).toBe("${{ secrets.GRANTOPS_READONLY_ACME_API_KEY }}");
      expect(step.with?.["api-secret"]).toBe("${{ secrets.GRANTOPS_READONLY_ACME_API_SECRET }}");
      expect(Object.values(workflow.jobs).map((j) => j.environment)).toEqual([undefined]);
    });

    it("refresh on review: an unprivileged pull_request_review signal, and a workflow_run refresh of pr-report", () => {
      const review = load(at("grantops-review.yml"));
      expect(Object.keys(review.workflow.on)).toEqual(["pull_request_review"]);
      expect(review.text).not.toMatch(/secrets\.|github\.token|uses:/);
      expect(jobPermissions(review.workflow)).toEqual([{}]);
      const refresh = load(at("grantops-pr-refresh.yml"));
      expect(refresh.workflow.on["workflow_run"]).toEqual({
        workflows: ["grantops-review"],
        types: ["completed"],
      });
      expect(command(refresh.workflow)).toEqual(["pr-report"]);
      const step = grantopsSteps(refresh.workflow)[0]!;
      expect(step.with?.["pr"]).toBe("${{ github.event.workflow_run.pull_requests[0].number }}");
      expect(step.with?.["api-key"]).toBe("${{ secrets.GRANTOPS_READONLY_ACME_API_KEY }}");
      expect(Object.values(refresh.workflow.jobs).map((j) => j.environment)).toEqual([undefined]);
    });

    it("reconcile: push, schedule and on demand in one never-cancelled group, in the grantops-apply environment", () => {
      const { workflow } = load(at("grantops-reconcile.yml"));
      expect(Object.keys(workflow.on).sort()).toEqual(["push", "schedule", "workflow_dispatch"]);
      expect(crons(workflow)).toEqual(["1-59/5 * * * *"]);
      expect(workflow.concurrency?.group).toBe("grantops-reconcile");
      expect(workflow.concurrency?.["cancel-in-progress"]).toBe(false);
      expect(command(workflow)).toEqual(["apply"]);
      expect(Object.values(workflow.jobs).map((j) => j.environment)).toEqual(["grantops-apply"]);
    });

    it("sweep: its own schedule, vendor key from grantops-apply, no GitHub write but the journal branch, no token input", () => {
      const { text, workflow } = load(at("grantops-sweep.yml"));
      expect(crons(workflow)).toEqual(["3-59/10 * * * *"]);
      expect(writes(workflow)).toEqual(["contents"]);
      expect(text).not.toContain("GITHUB_TOKEN");
      expect(text).not.toContain("github-token");
      expect(command(workflow)).toEqual(["sweep"]);
      expect(workflow.concurrency?.group).not.toBe("grantops-reconcile");
      expect(Object.values(workflow.jobs).map((j) => j.environment)).toEqual(["grantops-apply"]);
    });

    it.each([
      ["grantops-reconcile.yml", "apply"],
      ["grantops-sweep.yml", "sweep"],
    ])(
      "%s carries the local journal over to the next run (actions/cache), so it publishes what a failed publish left",
      (name, kind) => {
        const all = steps(load(at(name)).workflow);
        const dir = "${{ runner.temp }}/grantops-journal";
        const key = `grantops-journal-${kind}-\${{ github.run_id }}-\${{ github.run_attempt }}`;
        const restore = all.findIndex((s) => s.uses?.startsWith("actions/cache/restore@"));
        const save = all.findIndex((s) => s.uses?.startsWith("actions/cache/save@"));
        const runs = all.flatMap((s, index) => (isGrantops(s) ? [index] : []));
        expect(runs.length).toBeGreaterThan(0);
        expect(restore).toBeGreaterThanOrEqual(0);
        expect(restore).toBeLessThan(Math.min(...runs));
        expect(save).toBeGreaterThan(Math.max(...runs));
        expect(all[restore]?.with).toEqual({ path: dir, key, "restore-keys": `grantops-journal-${kind}-` });
        expect(all[save]?.with).toEqual({ path: dir, key });
        expect(all[save]?.if).toBe("always()");
        for (const index of runs) expect(all[index]?.with?.["journal"]).toBe(`${dir}/journal.jsonl`);
      },
    );

    it("the reconcile and sweep crons never fire in the same minute", () => {
      const minutes = (cron: string): Set<number> => {
        const [field] = cron.split(" ");
        const [range, step] = (field ?? "").split("/");
        const [from, to] = range === "*" ? [0, 59] : (range ?? "").split("-").map(Number);
        const out = new Set<number>();
        for (let m = from ?? 0; m <= (to ?? from ?? 0); m += Number(step ?? 1)) out.add(m);
        return out;
      };
      const reconcile = minutes(crons(load(at("grantops-reconcile.yml")).workflow)[0]!);
      const sweep = minutes(crons(load(at("grantops-sweep.yml")).workflow)[0]!);
      expect([...sweep].filter((m) => reconcile.has(m))).toEqual([]);
      expect(reconcile.size).toBe(12);
      expect(sweep.size).toBe(6);
    });
  });
});
