// The run record and the stages of a run, against a real temporary git repository and the in-memory Secure
// Access fake: one lookup per distinct name, one YAML parse per file, a plan that needs no journal, and an
// applied run whose record holds every outcome, journal entry, approval and rule PR.
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Approval, ApprovalVerifier, ResolvedVersion } from "../../src/core/model/types.js";
import type { Identity, SecureAccessApi } from "../../src/core/model/secure-access-types.js";
import { parseYamlFile, type YamlParser } from "../../src/grants/parse-yaml-file.js";
import { createLogger } from "../../src/observability/create-logger.js";
import type { StepOutcome } from "../../src/core/model/step-outcome.js";
import { createMemoryJournal } from "../../src/reconcile/journal.js";
import { planRun, type PlanRunDeps, type PlanRunOptions } from "../../src/reconcile/plan-run.js";
import { reconcile } from "../../src/reconcile/reconcile.js";
import { createFakeSecureAccess, vendorError, type FakeSecureAccess } from "../helpers/fake-secure-access.js";
import { createGitFixture, type GitFixture } from "../helpers/git-fixture.js";

const LANDED = "2026-11-26T09:00:00Z";
const NOW = new Date("2026-11-26T09:30:00Z");
const policy = readFileSync("policy.yaml", "utf8");

const identity = (id: number, label: string): Identity => ({
  id,
  label,
  deleted: false,
  type: { id: 7, label: "AD Users", type: "directory_user" },
});

function fakeApi(): FakeSecureAccess {
  return createFakeSecureAccess({
    identities: [identity(1173502975, "alice@example.com"), identity(1173502976, "bob@example.com")],
    resources: [
      { resourceId: 183456, name: "Jira" },
      { resourceId: 183460, name: "Wiki" },
    ],
  });
}

const grantFile = (users: string, resources: string) =>
  `version: 1\nusers: [${users}]\nresources: [${resources}]\nreason: "CHG-1: a good reason"\nduration: 4h\n`;

/** Approves every version, as landed by pull request 12. */
const approving: ApprovalVerifier = {
  verify: (): Promise<Approval> =>
    Promise.resolve({
      status: "approved",
      mode: "review",
      approvers: ["sec-sam"],
      pr: 12,
      requester: "alice-gh",
    }),
};

let repo: GitFixture;
let options: PlanRunOptions;

beforeEach(async () => {
  repo = await createGitFixture();
  options = {
    repo: repo.dir,
    cacheDir: await repo.tempDir(),
    policyPath: "policy.yaml",
    rulePrefix: "grantops-",
    limits: { maxDeletes: 25, allowMassDelete: false, allowEmpty: false },
  };
});
afterEach(async () => {
  await repo.cleanup();
});

async function commit(files: Record<string, string>): Promise<string> {
  for (const [path, text] of Object.entries(files)) await repo.write(path, text);
  return repo.commit("grants", LANDED);
}

function planDeps(api: SecureAccessApi, extra: Partial<PlanRunDeps> = {}): PlanRunDeps {
  return { clock: () => NOW, verifier: approving, apiFor: () => api, ...extra };
}

function reconcileDeps(api: SecureAccessApi) {
  const journal = createMemoryJournal();
  const seen: Array<{ outcome: StepOutcome; time: string }> = [];
  const deps = {
    ...planDeps(api),
    logger: createLogger({ level: "silent" }),
    journal,
    onOutcome: (outcome: StepOutcome, entry: { time: string }) => seen.push({ outcome, time: entry.time }),
  };
  return { deps, journal, seen };
}

const lookups = (api: FakeSecureAccess) =>
  api.calls
    .filter((call) => /^(find|get)(Identity|PrivateResource)$/.test(call.method))
    .map((call) => `${call.method} ${String(call.args[0])}`);

describe("one lookup pass per run", () => {
  it("looks each distinct user and resource up once, however many grants name it", async () => {
    const grants: Record<string, string> = { "policy.yaml": policy };
    for (let i = 0; i < 6; i++) {
      grants[`grants/team/g${i}.yaml`] = grantFile(
        i % 2 === 0 ? "alice@example.com, {id: 1173502976}" : "ALICE@example.com",
        i % 3 === 0 ? "Jira, {id: 183460}" : "Jira",
      );
    }
    await commit(grants);
    const api = fakeApi();
    const { deps } = reconcileDeps(api);
    const record = await reconcile(options, deps);
    expect(record.organizations[0]!.applied?.ok).toBe(6);
    expect(lookups(api).sort()).toEqual([
      "findIdentity alice@example.com",
      "findPrivateResource Jira",
      "getIdentity 1173502976",
      "getPrivateResource 183460",
    ]);
  });
});

describe("one YAML parse per file per run", () => {
  it("parses each file once, also when a user cannot be found (its problem is positioned from the load)", async () => {
    await commit({
      "policy.yaml": policy,
      "grants/team/a.yaml": grantFile("alice@example.com, nobody@example.com", "Jira"),
      "grants/team/b.yaml": grantFile("bob@example.com", "Wiki, Nowhere"),
      "grants/team/c.yaml": grantFile("bob@example.com", "Jira"),
    });
    const parses = new Map<string, number>();
    const counting: YamlParser = (file, bytes) => {
      parses.set(file, (parses.get(file) ?? 0) + 1);
      return parseYamlFile(file, bytes);
    };
    const plan = await planRun(options, planDeps(fakeApi(), { parseYaml: counting }));
    expect(Object.fromEntries(parses)).toEqual({
      "policy.yaml": 1,
      "grants/team/a.yaml": 1,
      "grants/team/b.yaml": 1,
      "grants/team/c.yaml": 1,
    });
    expect(plan.problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.code}`)).toEqual([
      "grants/team/a.yaml:2:28 user-not-found",
      "grants/team/b.yaml:3:19 resource-not-found",
    ]);
  });
});

describe("the run record", () => {
  it("plans without a journal and writes nothing", async () => {
    await commit({ "policy.yaml": policy, "grants/team/a.yaml": grantFile("alice@example.com", "Jira") });
    const api = fakeApi();
    const plan = await planRun(options, planDeps(api));
    expect(plan.organizations[0]!.plan.steps.map((step) => step.kind)).toEqual(["create"]);
    expect(plan.exitCode).toBe(2);
    expect(api.calls.map((call) => call.method)).not.toContain("createRule");
    expect(api.calls.map((call) => call.method)).not.toContain("deleteRule");
    expect(api.rules.size).toBe(0);
  });

  it("holds each outcome, its journal entry, the approvals with their versions and the rules' PRs", async () => {
    const landing = await commit({
      "policy.yaml": policy,
      "grants/team/a.yaml": grantFile("alice@example.com", "Jira"),
      "grants/team/b.yaml": grantFile("bob@example.com", "Wiki"),
    });
    const api = fakeApi();
    const { deps, journal, seen } = reconcileDeps(api);
    const record = await reconcile(options, deps);
    const [org] = record.organizations;
    expect(record.exitCode).toBe(0);
    expect(org!.applied?.outcomes.map((o) => [o.step.kind, o.outcome])).toEqual([
      ["create", "ok"],
      ["create", "ok"],
    ]);
    expect(org!.applied?.entries).toEqual(journal.entries);
    expect(seen.map((each) => each.outcome)).toEqual(org!.applied?.outcomes);
    expect(
      org!.approvals.map(({ version, approval }) => [
        version.grant.id,
        version.commit,
        version.landedAt,
        approval.status,
      ]),
    ).toEqual([
      ["team/a", landing, LANDED, "approved"],
      ["team/b", landing, LANDED, "approved"],
    ]);
    expect(org!.rulePullRequests.size).toBe(0);

    // The next run reads the rules it made: each one's PR comes from its marker.
    await commit({ "grants/team/a.yaml": grantFile("alice@example.com, bob@example.com", "Jira") });
    const next = await reconcile(options, reconcileDeps(api).deps);
    const created = org!.applied!.outcomes.map((o) => o.ruleId!);
    expect([...next.organizations[0]!.rulePullRequests]).toEqual(created.map((ruleId) => [ruleId, 12]));
  });

  it("lets onOutcome see the steps already applied when the run fails later", async () => {
    const twoOrgs = policy.replace(
      "acme: { orgId: 8094936, credentials: ACME }",
      "acme: { orgId: 8094936, credentials: ACME }\n  zeta: { orgId: 8094937, credentials: ZETA }",
    );
    await commit({
      "policy.yaml": twoOrgs,
      "grants/team/a.yaml": `${grantFile("alice@example.com", "Jira")}organization: acme\n`,
      "grants/team/z.yaml": `${grantFile("bob@example.com", "Wiki")}organization: zeta\n`,
    });
    const acme = fakeApi();
    const zeta = fakeApi();
    zeta.fail("listRules", vendorError(503, "Service Unavailable"));
    const { deps, journal, seen } = reconcileDeps(acme);
    const run = reconcile(options, { ...deps, apiFor: (alias) => (alias === "acme" ? acme : zeta) });
    await expect(run).rejects.toThrow(/Service Unavailable/);
    expect(seen.map(({ outcome }) => [outcome.step.kind, outcome.outcome])).toEqual([["create", "ok"]]);
    expect(journal.entries.map((entry) => entry.grantId)).toEqual(["team/a"]);
  });

  it("verifies resolved versions: a grantee written as {id} is seen by its label", async () => {
    await commit({ "policy.yaml": policy, "grants/team/a.yaml": grantFile("{id: 1173502976}", "Jira") });
    const seen: ResolvedVersion[] = [];
    const recording: ApprovalVerifier = {
      verify: (version, p) => {
        seen.push(version);
        return approving.verify(version, p);
      },
    };
    await planRun(options, { ...planDeps(fakeApi()), verifier: recording });
    expect(seen.map((v) => v.resolvedUsers.map((u) => u?.label))).toEqual([["bob@example.com"]]);
  });
});

describe("the rules are listed while the grants are read", () => {
  const files = {
    "policy.yaml": policy,
    "grants/team/a.yaml": grantFile("alice@example.com", "Jira"),
    "grants/team/b.yaml": grantFile("bob@example.com", "Wiki"),
  };

  /** Counts the grant files parsed; `atClient` holds that count each time a client is built. */
  function counted(api: SecureAccessApi) {
    const seen = { grantsParsed: 0, atClient: [] as number[] };
    const extra: Partial<PlanRunDeps> = {
      parseYaml: (file, bytes) => {
        if (file.startsWith("grants/")) seen.grantsParsed += 1;
        return parseYamlFile(file, bytes);
      },
      apiFor: () => {
        seen.atClient.push(seen.grantsParsed);
        return api;
      },
    };
    return { seen, extra };
  }

  it("plan builds the client and starts the listing once the policy is read, before any grant file", async () => {
    await commit(files);
    const api = fakeApi();
    const { seen, extra } = counted(api);
    const plan = await planRun(options, planDeps(api, extra));
    expect(seen.atClient).toEqual([0]);
    expect(api.calls.filter((call) => call.method === "listRules")).toHaveLength(1);
    expect(plan.organizations[0]!.plan.steps.map((step) => step.kind)).toEqual(["create", "create"]);
  });

  it("reconcile does the same, and applies through that one client", async () => {
    await commit(files);
    const api = fakeApi();
    const { seen, extra } = counted(api);
    const { deps } = reconcileDeps(api);
    const record = await reconcile(options, { ...deps, ...extra });
    expect(seen.atClient).toEqual([0]);
    expect(record.organizations[0]!.applied?.ok).toBe(2);
  });

  it("a listing that fails early fails the run with the vendor's error (never an unhandled rejection)", async () => {
    await commit(files);
    const api = fakeApi();
    api.fail("listRules", vendorError(503, "Service Unavailable"));
    await expect(planRun(options, planDeps(api))).rejects.toMatchObject({ status: 503 });
  });

  it("a client that cannot be built fails the run after the files were read, as before", async () => {
    await commit(files);
    const refused = Object.assign(new Error("no credentials for acme"), { code: "CONFIG_MISSING" });
    const { seen, extra } = counted(fakeApi());
    const run = planRun(options, {
      ...planDeps(fakeApi(), extra),
      apiFor: () => {
        seen.atClient.push(seen.grantsParsed);
        throw refused;
      },
    });
    await expect(run).rejects.toBe(refused);
    expect(seen.grantsParsed).toBe(2);
  });
});
