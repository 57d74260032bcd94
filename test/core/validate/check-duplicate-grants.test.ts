import { describe, expect, it } from "vitest";
import { checkDuplicateGrants } from "../../../src/core/validate/check-duplicate-grants.js";
import type { Grant } from "../../../src/core/model/types.js";

function grant(id: string, users: string[], resources: Grant["resources"], organization = "acme"): Grant {
  const at = { line: 2, column: 3 };
  return {
    id,
    file: `grants/${id}.yaml`,
    users,
    groups: [],
    resources,
    organization,
    reason: "r",
    durationMs: 3_600_000,
    expiresAt: null,
    startsAt: null,
    ticket: null,
    breakGlass: false,
    positions: { users: users.map(() => at), groups: [], resources: resources.map(() => at) },
  };
}

describe("checkDuplicateGrants", () => {
  it("warns on both files when two grants give the same user the same resource", () => {
    const problems = checkDuplicateGrants([
      grant("a", ["Alice@x.io"], ["jira"]),
      grant("b", ["alice@x.io"], ["jira"]),
    ]);
    expect(problems.map((p) => [p.file, p.message])).toEqual([
      ["grants/a.yaml", "Alice@x.io → jira is also granted by grants/b.yaml"],
      ["grants/b.yaml", "alice@x.io → jira is also granted by grants/a.yaml"],
    ]);
  });

  it("never mistakes names that only spell the same text when run together for the same grantee and resource", () => {
    // Joined without a boundary, "a@x.io" + "jira" and "a@x.i" + "ojira" read the same: they are not duplicates.
    expect(
      checkDuplicateGrants([grant("a", ["a@x.io"], ["jira"]), grant("b", ["a@x.i"], ["ojira"])]),
    ).toEqual([]);
    expect(
      checkDuplicateGrants([
        grant("a", ["a@x.io"], ["jira"], "acme"),
        grant("b", ["a@x.io"], ["jira"], "acm"),
      ]),
    ).toEqual([]);
    expect(
      checkDuplicateGrants([grant("a", ["u@x.io"], [{ id: 7 }]), grant("b", ["u@x.io"], ["#7"])]),
    ).toEqual([]);
  });
});
