import fc from "fast-check";
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

/** The definition, written plainly (one JSON key per grantee and resource, a list per key; no shortcuts). */
function reference(grants: readonly Grant[]): Array<{ file: string; line: number; message: string }> {
  const owners = new Map<
    string,
    Array<{ index: number; field: "users" | "groups"; itemIndex: number; label: string }>
  >();
  const show = (ref: string | { id: number }): string => (typeof ref === "string" ? ref : `{id: ${ref.id}}`);
  grants.forEach((grant, index) => {
    for (const field of ["users", "groups"] as const) {
      grant[field].forEach((grantee, itemIndex) => {
        const granteeId = typeof grantee === "string" ? ["n", grantee.toLowerCase()] : ["i", grantee.id];
        for (const resource of grant.resources) {
          const resourceId = typeof resource === "string" ? ["n", resource] : ["i", resource.id];
          const key = JSON.stringify([grant.organization, field, granteeId, resourceId]);
          const list = owners.get(key) ?? [];
          const label = `${field === "groups" ? "group " : ""}${show(grantee)} → ${show(resource)}`;
          if (!list.some((entry) => entry.index === index)) list.push({ index, field, itemIndex, label });
          owners.set(key, list);
        }
      });
    }
  });
  const out: Array<{ file: string; line: number; message: string }> = [];
  const reported = new Set<string>();
  for (const list of owners.values()) {
    for (const entry of list) {
      const other = list.find((candidate) => candidate.index !== entry.index);
      if (other === undefined) continue;
      const pair = `${entry.field}:${entry.index}:${other.index}`;
      if (reported.has(pair)) continue;
      reported.add(pair);
      const self = grants[entry.index]!;
      const line = self.positions[entry.field][entry.itemIndex]?.line ?? 1;
      out.push({
        file: self.file,
        line,
        message: `${entry.label} is also granted by ${grants[other.index]!.file}`,
      });
    }
  }
  return out;
}

describe("checkDuplicateGrants against its definition", () => {
  const name = fc.constantFrom("a@x.io", "A@x.io", "b@x.io", "a@x.i");
  const resource = fc.oneof(
    fc.constantFrom("jira", "ojira", "#7", "db"),
    fc.constantFrom({ id: 7 }, { id: 8 }),
  );
  const group = fc.oneof(fc.constantFrom("ops", "OPS", "#7"), fc.constantFrom({ id: 7 }));
  const grants = fc.array(
    fc.record({
      users: fc.array(name, { maxLength: 3 }),
      groups: fc.array(group, { maxLength: 2 }),
      resources: fc.array(resource, { minLength: 1, maxLength: 3 }),
      organization: fc.constantFrom("acme", "acm"),
    }),
    { maxLength: 8 },
  );

  it("gives the same warnings, at the same places, for any grants", () => {
    fc.assert(
      fc.property(grants, (specs) => {
        const list = specs.map((spec, index) => ({
          ...grant(`g${index}`, spec.users, spec.resources, spec.organization),
          groups: spec.groups,
          positions: {
            users: spec.users.map((_, i) => ({ line: 10 + i, column: 3 })),
            groups: spec.groups.map((_, i) => ({ line: 20 + i, column: 3 })),
            resources: spec.resources.map(() => ({ line: 30, column: 3 })),
          },
        }));
        const sort = (items: Array<{ file: string; line: number; message: string }>): string[] =>
          items.map((p) => `${p.file}:${p.line}: ${p.message}`).sort();
        expect(sort(checkDuplicateGrants(list))).toEqual(sort(reference(list)));
      }),
      { numRuns: 1000 },
    );
  });
});
