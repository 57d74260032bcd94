import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Approval, Grant, GrantVersion } from "../../src/core/model/types.js";
import type { Identity, SecureAccessApi } from "../../src/core/model/secure-access-types.js";
import { GrantopsError } from "../../src/core/model/grantops-error.js";
import { validateRepository } from "../../src/grants/validate-repository.js";
import { resolveVersions } from "../../src/reconcile/resolve-versions.js";
import { desiredGrants } from "../../src/reconcile/desired-grants.js";
import { createFakeSecureAccess, vendorError } from "../helpers/fake-secure-access.js";

const user = (id: number, label: string, deleted = false): Identity => ({
  id,
  label,
  deleted,
  type: { id: 7, label: "AD Users", type: "directory_user" },
});

function api() {
  return createFakeSecureAccess({
    identities: [
      user(1173502975, "alice@example.com"),
      user(1173502976, "Bob Builder (bob@example.com)"),
      user(1173502980, "mallory@example.com", true),
      user(1, "twin@example.com"),
      user(2, "twin@example.com"),
    ],
    resources: [
      { resourceId: 183457, name: "prod-db" },
      { resourceId: 183456, name: "Jira" },
    ],
  });
}

const policy = readFileSync("policy.yaml", "utf8");
const now = new Date("2026-11-26T09:00:00Z");
const encode = (text: string) => new TextEncoder().encode(text);

/** A grant file with these users and resources (YAML flow lists), valid for 4h. */
const grantFile = (users: string, resources: string) =>
  `version: 1\nusers: [${users}]\nresources: [${resources}]\nreason: "CHG-1: a good reason"\nduration: 4h\n`;

/** The versions of grant files as loaded (validated, positions recorded), all landed at one commit. */
function load(files: Record<string, string>): GrantVersion[] {
  const loaded = validateRepository(
    new Map(
      [["policy.yaml", policy], ...Object.entries(files)].map(([path, text]) => [path!, encode(text!)]),
    ),
    { now },
  );
  expect(loaded.problems.filter((p) => p.severity === "error")).toEqual([]);
  return loaded.grants.map((grant) => ({
    grant,
    commit: "c".repeat(40),
    landedAt: "2026-11-26T10:00:00Z",
    blob: "b".repeat(40),
  }));
}

const approved: Approval = {
  status: "approved",
  mode: "trust-git",
  approvers: [],
  pr: null,
  requester: null,
};
const window = (grant: Grant, landedAt: string) => ({
  startsAt: null,
  expiresAt: new Date(Date.parse(landedAt) + (grant.durationMs ?? 0)).toISOString().replace(".000Z", "Z"),
});

describe("resolveVersions", () => {
  it("resolves labels, names and ids; the desired grant has sorted unique ids", async () => {
    const versions = load({
      "grants/team/a.yaml": grantFile(
        "bob@example.com, alice@example.com, {id: 1173502975}",
        "prod-db, {id: 183456}, Jira",
      ),
    });
    const resolved = await resolveVersions(versions, api());
    expect(resolved[0]!.problems).toEqual([]);
    expect(resolved[0]!.resolvedUsers).toEqual([
      { identityId: 1173502976, label: "Bob Builder (bob@example.com)", display: "bob@example.com" },
      { identityId: 1173502975, label: "alice@example.com", display: "alice@example.com" },
      { identityId: 1173502975, label: "alice@example.com", display: "alice@example.com" },
    ]);
    expect(desiredGrants([{ version: resolved[0]!, approval: approved }], window)).toEqual([
      {
        grantId: "team/a",
        organization: "acme",
        identityIds: [1173502975, 1173502976],
        groupIds: [],
        resourceIds: [183456, 183457],
        startsAt: null,
        expiresAt: "2026-11-26T14:00:00Z",
        commit: "c".repeat(40),
        approval: approved,
        users: ["bob@example.com", "alice@example.com", "alice@example.com"],
        groups: [],
        resources: ["prod-db", "Jira", "Jira"],
        reason: "CHG-1: a good reason",
        breakGlass: false,
      },
    ]);
  });

  it("looks each distinct name up once across grants", async () => {
    const fake = api();
    const versions = load({
      "grants/a.yaml": grantFile("alice@example.com", "Jira"),
      "grants/b.yaml": grantFile("ALICE@example.com", "Jira"),
      "grants/c.yaml": grantFile("alice@example.com, {id: 1}", "Jira, {id: 183457}"),
    });
    const resolved = await resolveVersions(versions, fake);
    expect(resolved.map((v) => v.problems)).toEqual([[], [], []]);
    expect(fake.calls.map((call) => `${call.method}(${String(call.args[0])})`).sort()).toEqual([
      "findIdentity(alice@example.com)",
      "findPrivateResource(Jira)",
      "getIdentity(1)",
      "getPrivateResource(183457)",
    ]);
  });

  it("turns not-found, ambiguous and deleted into problems of that grant only, never desired", async () => {
    const versions = load({
      "grants/good.yaml": grantFile("alice@example.com", "Jira"),
      "grants/nobody.yaml": grantFile("nobody@example.com", "Jira"),
      "grants/twins.yaml": grantFile("twin@example.com", "Jira"),
      "grants/gone.yaml": grantFile("mallory@example.com", "{id: 999}"),
      "grants/nores.yaml": grantFile("alice@example.com", "Confluence"),
    });
    const resolved = await resolveVersions(versions, api());
    const desired = desiredGrants(
      resolved.map((version) => ({ version, approval: approved })),
      window,
    );
    expect(desired.map((d) => d.grantId)).toEqual(["good"]);
    expect(resolved.flatMap((v) => v.problems).map((p) => [p.grantId, p.file, p.code])).toEqual([
      ["gone", "grants/gone.yaml", "user-deleted"],
      ["gone", "grants/gone.yaml", "resource-not-found"],
      ["nobody", "grants/nobody.yaml", "user-not-found"],
      ["nores", "grants/nores.yaml", "resource-not-found"],
      ["twins", "grants/twins.yaml", "user-ambiguous"],
    ]);
    const twins = resolved.find((v) => v.grant.id === "twins")!;
    expect(twins.problems[0]!.message).toContain("twin@example.com");
    expect(twins.resolvedUsers).toEqual([null]);
  });

  it("positions each problem at its list item in the file, as recorded at load time", async () => {
    const versions = load({
      "grants/a.yaml": grantFile("alice@example.com, nobody@example.com", "Nope"),
      "grants/b.yaml":
        'version: 1\nusers:\n  - alice@example.com\nresources:\n  - Jira\n  - {id: 999}\nreason: "CHG-1: a good reason"\nduration: 4h\n',
      "grants/c.yaml": grantFile("alice@example.com, nobody@example.com, twin@example.com", "Jira, nope"),
    });
    const resolved = await resolveVersions(versions, api());
    expect(resolved.flatMap((v) => v.problems).map((p) => [p.file, p.code, `${p.line}:${p.column}`])).toEqual(
      [
        ["grants/a.yaml", "user-not-found", "2:28"],
        ["grants/a.yaml", "resource-not-found", "3:13"],
        ["grants/b.yaml", "resource-not-found", "6:5"],
        ["grants/c.yaml", "user-not-found", "2:28"],
        ["grants/c.yaml", "user-ambiguous", "2:48"],
        ["grants/c.yaml", "resource-not-found", "3:19"],
      ],
    );
  });

  it.each([
    ["network", vendorError(null, "connect ECONNREFUSED")],
    ["5xx after retries", vendorError(503, "Service Unavailable")],
    ["401", vendorError(401, "Authorization token is invalid.")],
    // Not a LookupFailure, whatever the status or code says: the state cannot be read.
    ["404 of the listing itself", vendorError(404, "Not Found")],
    ["code ending in NOT_FOUND", new GrantopsError("ORGANIZATION_NOT_FOUND", "no such organization")],
  ])("throws on a %s failure (the run aborts)", async (_name, error) => {
    const fake = api();
    fake.fail("findIdentity", error);
    const run = resolveVersions(load({ "grants/a.yaml": grantFile("alice@example.com", "Jira") }), fake);
    await expect(run).rejects.toBe(error);
  });

  it("runs at most 8 lookups at once", async () => {
    const fake = api();
    let running = 0;
    let most = 0;
    const slow: SecureAccessApi = {
      ...fake,
      findIdentity: async (label) => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 1));
        running--;
        return fake.findIdentity(label);
      },
    };
    const users = (from: number) =>
      Array.from({ length: 15 }, (_, i) => `user${from + i}@example.com`).join(", ");
    const resolved = await resolveVersions(
      load({ "grants/a.yaml": grantFile(users(0), "Jira"), "grants/b.yaml": grantFile(users(15), "Jira") }),
      slow,
    );
    expect(resolved.flatMap((v) => v.problems)).toHaveLength(30);
    expect(most).toBe(8);
  });

  it("grants naming the same user or resource share one frozen resolution (one copy per run, none changeable)", async () => {
    const versions = load({
      "grants/team/a.yaml": grantFile("alice@example.com", "prod-db"),
      "grants/team/b.yaml": grantFile("alice@example.com", "prod-db, Jira"),
      "grants/team/c.yaml": grantFile("Alice@example.com", "prod-db"),
    });
    const [a, b, c] = await resolveVersions(versions, api());
    expect(b!.resolvedUsers[0]).toBe(a!.resolvedUsers[0]);
    expect(b!.resolvedResources[0]).toBe(a!.resolvedResources[0]);
    // Written differently: the same identity, its own display.
    expect(c!.resolvedUsers[0]).toEqual({ ...a!.resolvedUsers[0], display: "Alice@example.com" });
    expect(() => {
      (a!.resolvedUsers[0] as { display: string }).display = "mallory@example.com";
    }).toThrow(TypeError);
    expect(b!.resolvedUsers[0]!.display).toBe("alice@example.com");
  });
});
