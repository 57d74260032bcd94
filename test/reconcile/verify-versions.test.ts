import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readFileSync } from "node:fs";
import { verifyVersions } from "../../src/reconcile/verify-versions.js";
import { resolveVersions } from "../../src/reconcile/resolve-versions.js";
import { TrustGitVerifier } from "../../src/git/trust-git-verifier.js";
import { resourceRule } from "../../src/core/validate/policy-rules.js";
import { createFakeSecureAccess, vendorError } from "../helpers/fake-secure-access.js";
import type {
  Approval,
  ApprovalVerifier,
  Grant,
  GrantVersion,
  PolicyFile,
  ResolvedVersion,
} from "../../src/core/model/types.js";
import type { SecureAccessApi } from "../../src/core/model/secure-access-types.js";

const policy = parse(readFileSync("policy.yaml", "utf8")) as PolicyFile;

function api() {
  return createFakeSecureAccess({
    identities: [
      {
        id: 1173502975,
        label: "alice@example.com",
        deleted: false,
        type: { id: 7, label: "AD Users", type: "directory_user" },
      },
      {
        id: 1173502977,
        label: "carol@example.com",
        deleted: false,
        type: { id: 7, label: "AD Users", type: "directory_user" },
      },
    ],
    resources: [
      { resourceId: 183456, name: "Jira" },
      { resourceId: 183457, name: "prod-db" },
      { resourceId: 183458, name: "payroll-db" },
    ],
  });
}

function version(id: string, resources: Grant["resources"], hours: number): GrantVersion {
  return {
    grant: {
      id,
      file: `grants/${id}.yaml`,
      users: ["alice@example.com"],
      groups: [],
      resources,
      organization: "acme",
      reason: "CHG-1: a good reason",
      durationMs: hours * 3_600_000,
      expiresAt: null,
      startsAt: null,
      ticket: null,
      breakGlass: false,
      positions: { users: [{ line: 2, column: 8 }], groups: [], resources: [{ line: 3, column: 13 }] },
    },
    commit: "c".repeat(40),
    landedAt: "2026-11-26T10:00:00Z",
    blob: "b".repeat(40),
  };
}

/** The resolve stage, then the verify stage (approvals by grant id). */
async function resolveAndVerify(
  versions: GrantVersion[],
  fake: SecureAccessApi,
  verifier: ApprovalVerifier,
): Promise<{ versions: ResolvedVersion[]; approvals: Map<string, Approval> }> {
  const resolved = await resolveVersions(versions, fake);
  const verified = await verifyVersions(resolved, policy, verifier);
  return { versions: resolved, approvals: new Map(verified.map((v) => [v.version.grant.id, v.approval])) };
}

describe("verifyVersions", () => {
  it.each([
    ["a denied resource written by id", [{ id: 183458 }], 1, /payroll-db is never grantable/],
    ["a denied resource written by name", ["payroll-db"], 1, /payroll-db is never grantable/],
    ["prod-* by id over its 4h cap", [{ id: 183457 }], 6, /over the policy cap of 4h/],
    ["prod-* by name over its 4h cap", ["prod-db"], 6, /over the policy cap of 4h/],
    ["the strictest cap across resources", ["Jira", { id: 183457 }], 5, /over the policy cap of 4h/],
  ])("rejects %s whatever the verifier says", async (_name, resources, hours, reason) => {
    const result = await resolveAndVerify([version("t/x", resources, hours)], api(), new TrustGitVerifier());
    const approval = result.approvals.get("t/x");
    expect(approval?.status).toBe("rejected");
    expect(approval?.status === "rejected" ? approval.reason : "").toMatch(reason);
  });

  it("rejects a resource written by name that the policy denies by id, after validation asked its name", async () => {
    // Validation sees the name only (and finds no matching entry); the plan sees the resolved id, which is denied.
    const byId: PolicyFile = { ...policy, resources: [{ match: { ids: [183456] }, deny: true }] };
    expect(resourceRule(byId, { name: "Jira" }).deny).toBe(false);
    const resolved = await resolveVersions([version("t/jira", ["Jira"], 1)], api());
    const [verified] = await verifyVersions(resolved, byId, new TrustGitVerifier());
    expect(verified?.approval).toMatchObject({
      status: "rejected",
      reason: "Jira is never grantable through grantops (policy deny)",
    });
  });

  it("rejects break-glass over the policy's break-glass cap, even when git is trusted", async () => {
    const v = version("t/bg", ["Jira"], 2);
    v.grant.breakGlass = true;
    const result = await resolveAndVerify([v], api(), new TrustGitVerifier());
    expect(result.approvals.get("t/bg")).toMatchObject({
      status: "rejected",
      reason: "break-glass lasts 2h, over the break-glass cap of 1h",
    });
  });

  it("passes resolved names and ids to the verifier", async () => {
    const seen: ResolvedVersion[] = [];
    const verifier: ApprovalVerifier = {
      verify: (v) => {
        seen.push(v);
        return new TrustGitVerifier().verify();
      },
    };
    const result = await resolveAndVerify([version("t/ok", ["Jira", { id: 183457 }], 2)], api(), verifier);
    expect(result.approvals.get("t/ok")?.status).toBe("approved");
    expect(seen[0]?.resolvedResources).toEqual([
      { name: "Jira", resourceId: 183456 },
      { name: "prod-db", resourceId: 183457 },
    ]);
  });

  it("resolves users written as {id} to their labels, for the grantee check", async () => {
    const v = version("t/ids", ["Jira"], 1);
    v.grant.users = ["alice@example.com", { id: 1173502977 }];
    const result = await resolveAndVerify([v], api(), new TrustGitVerifier());
    expect(result.versions[0]?.resolvedUsers.map((user) => user?.label)).toEqual([
      "alice@example.com",
      "carol@example.com",
    ]);
  });

  it("verifies a version with an unknown resource too (the resolve stage reports it)", async () => {
    const result = await resolveAndVerify([version("t/u", ["Nope"], 1)], api(), new TrustGitVerifier());
    expect(result.versions[0]?.resolvedResources).toEqual([null]);
    expect(result.versions[0]?.problems.map((p) => p.code)).toEqual(["resource-not-found"]);
    expect(result.approvals.get("t/u")?.status).toBe("approved");
  });

  it("throws when a lookup fails for any other reason (the run aborts)", async () => {
    const fake = api();
    fake.fail("findPrivateResource", vendorError(503, "Service Unavailable"));
    await expect(
      resolveAndVerify([version("t/x", ["Jira"], 1)], fake, new TrustGitVerifier()),
    ).rejects.toThrow(/Service Unavailable/);
  });
});
