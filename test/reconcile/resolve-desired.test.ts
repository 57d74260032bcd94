import { describe, expect, it } from "vitest";
import type { Approval, Grant, GrantVersion } from "../../src/core/model/types.js";
import type { Identity } from "../../src/core/model/secure-access-types.js";
import { classifyLookupFailure, resolveDesired } from "../../src/reconcile/resolve-desired.js";
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

function version(
  id: string,
  users: Grant["users"],
  resources: Grant["resources"],
  organization = "acme",
): GrantVersion {
  return {
    grant: {
      id,
      file: `grants/${id}.yaml`,
      users,
      resources,
      organization,
      reason: "CHG-1: a good reason",
      durationMs: 4 * 3_600_000,
      expiresAt: null,
      startsAt: null,
      ticket: null,
      breakGlass: false,
    },
    commit: "c".repeat(40),
    landedAt: "2026-11-26T10:00:00Z",
    blob: "b".repeat(40),
  };
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

describe("resolveDesired", () => {
  it("resolves labels, names and ids to sorted unique ids", async () => {
    const fake = api();
    const versions = [
      version(
        "team/a",
        ["bob@example.com", "alice@example.com", { id: 1173502975 }],
        ["prod-db", { id: 183456 }, "Jira"],
      ),
    ];
    const result = await resolveDesired({
      versions,
      approvals: new Map([["team/a", approved]]),
      api: fake,
      organization: "acme",
      window,
    });
    expect(result.problems).toEqual([]);
    expect(result.desired).toEqual([
      {
        grantId: "team/a",
        organization: "acme",
        identityIds: [1173502975, 1173502976],
        resourceIds: [183456, 183457],
        startsAt: null,
        expiresAt: "2026-11-26T14:00:00Z",
        commit: "c".repeat(40),
        approval: approved,
        users: ["bob@example.com", "alice@example.com", "alice@example.com"],
        resources: ["prod-db", "Jira", "Jira"],
        reason: "CHG-1: a good reason",
        breakGlass: false,
      },
    ]);
  });

  it("looks each distinct name up once across grants and skips other organizations", async () => {
    const fake = api();
    const versions = [
      version("a", ["alice@example.com"], ["Jira"]),
      version("b", ["ALICE@example.com"], ["Jira"]),
      version("c", ["bob@example.com"], ["Jira"], "other"),
    ];
    const result = await resolveDesired({
      versions,
      approvals: new Map(),
      api: fake,
      organization: "acme",
      window,
    });
    expect(result.desired.map((d) => d.grantId)).toEqual(["a", "b"]);
    expect(fake.calls.map((call) => call.method).sort()).toEqual(["findIdentity", "findPrivateResource"]);
    expect(result.desired[0]!.approval).toMatchObject({ status: "unverified" });
  });

  it("turns not-found, ambiguous and deleted into problems of that grant only", async () => {
    const versions = [
      version("good", ["alice@example.com"], ["Jira"]),
      version("nobody", ["nobody@example.com"], ["Jira"]),
      version("twins", ["twin@example.com"], ["Jira"]),
      version("gone", ["mallory@example.com"], [{ id: 999 }]),
      version("nores", ["alice@example.com"], ["Confluence"]),
    ];
    const result = await resolveDesired({
      versions,
      approvals: new Map(),
      api: api(),
      organization: "acme",
      window,
    });
    expect(result.desired.map((d) => d.grantId)).toEqual(["good"]);
    expect(result.problems.map((p) => [p.grantId, p.file, p.code, p.path])).toEqual([
      ["nobody", "grants/nobody.yaml", "user-not-found", ["users", 0]],
      ["twins", "grants/twins.yaml", "user-ambiguous", ["users", 0]],
      ["gone", "grants/gone.yaml", "user-deleted", ["users", 0]],
      ["gone", "grants/gone.yaml", "resource-not-found", ["resources", 0]],
      ["nores", "grants/nores.yaml", "resource-not-found", ["resources", 0]],
    ]);
    expect(result.problems[1]!.message).toContain("twin@example.com");
  });

  it("names the failed list item of each problem (users[i], resources[i])", async () => {
    const versions = [
      version("mixed", ["alice@example.com", "nobody@example.com", "twin@example.com"], ["Jira", "nope"]),
    ];
    const result = await resolveDesired({
      versions,
      approvals: new Map(),
      api: api(),
      organization: "acme",
      window,
    });
    expect(result.problems.map((p) => [p.code, p.path])).toEqual([
      ["user-not-found", ["users", 1]],
      ["user-ambiguous", ["users", 2]],
      ["resource-not-found", ["resources", 1]],
    ]);
  });

  it.each([
    ["network", vendorError(null, "connect ECONNREFUSED")],
    ["5xx after retries", vendorError(503, "Service Unavailable")],
    ["401", vendorError(401, "Authorization token is invalid.")],
  ])("throws on a %s failure (the state cannot be read)", async (_name, error) => {
    const fake = api();
    fake.fail("findIdentity", error);
    const run = resolveDesired({
      versions: [version("a", ["alice@example.com"], ["Jira"])],
      approvals: new Map(),
      api: fake,
      organization: "acme",
      window,
    });
    await expect(run).rejects.toBe(error);
  });
});

describe("classifyLookupFailure", () => {
  it.each([
    [{ code: "IDENTITY_NOT_FOUND" }, "not-found"],
    [{ code: "RESOURCE_AMBIGUOUS" }, "ambiguous"],
    [{ code: "resource-not-found" }, "not-found"],
    [{ code: "VENDOR_HTTP_404", status: 404 }, "not-found"],
    [{ code: "VENDOR_HTTP_500", status: 500 }, null],
    [new Error("boom"), null],
    ["text", null],
  ])("%j → %s", (error, expected) => {
    expect(classifyLookupFailure(error)).toBe(expected);
  });
});
