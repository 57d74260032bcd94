import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { effectiveRules, globMatch, resourceRule } from "../../../src/core/validate/policy-rules.js";
import type { PolicyFile } from "../../../src/core/model/types.js";

const H = 3600_000;
const policy: PolicyFile = {
  version: 1,
  organizations: { acme: { orgId: 8094936, credentials: "ACME" } },
  defaults: { maxDuration: "8h", approvals: 1, approvers: ["@acme/security"] },
  resources: [
    {
      match: { name: "prod-*" },
      maxDuration: "4h",
      approvals: 2,
      approvers: ["@acme/sre-leads"],
      autoApprove: { maxDuration: "1h", requesters: ["@acme/sre"] },
    },
    { match: { name: "payroll-db" }, deny: true },
    {
      match: { ids: [900, 901] },
      maxDuration: "2h",
      autoApprove: { maxDuration: "30m", requesters: ["@acme/sre", "bob"] },
    },
  ],
};

describe("effectiveRules", () => {
  it.each<[string, Array<{ name?: string; id?: number }>, ReturnType<typeof effectiveRules>]>([
    [
      "an unmatched resource gets the defaults",
      [{ name: "Jira" }],
      {
        deny: [],
        groupsForbidden: [],
        maxDurationMs: 8 * H,
        requirements: [{ approvals: 1, approvers: ["@acme/security"] }],
        autoApprove: null,
      },
    ],
    [
      "a glob match",
      [{ name: "prod-db" }],
      {
        deny: [],
        groupsForbidden: ["prod-db"],
        maxDurationMs: 4 * H,
        requirements: [{ approvals: 2, approvers: ["@acme/sre-leads"] }],
        autoApprove: { maxDurationMs: H, requesters: ["@acme/sre"] },
      },
    ],
    [
      "a name differing only in case matches the stricter rule, not the defaults",
      [{ name: "Prod-DB" }],
      {
        deny: [],
        groupsForbidden: ["Prod-DB"],
        maxDurationMs: 4 * H,
        requirements: [{ approvals: 2, approvers: ["@acme/sre-leads"] }],
        autoApprove: { maxDurationMs: H, requesters: ["@acme/sre"] },
      },
    ],
    [
      "a denied name in another case is still denied",
      [{ name: "PAYROLL-DB" }],
      {
        deny: ["PAYROLL-DB"],
        groupsForbidden: [],
        maxDurationMs: 8 * H,
        requirements: [{ approvals: 1, approvers: ["@acme/security"] }],
        autoApprove: null,
      },
    ],
    [
      "strictest across resources; all requirements; no auto-approve unless every rule has it",
      [{ name: "Jira" }, { name: "prod-db" }, { name: "prod-api" }],
      {
        deny: [],
        groupsForbidden: ["prod-db", "prod-api"],
        maxDurationMs: 4 * H,
        requirements: [
          { approvals: 1, approvers: ["@acme/security"] },
          { approvals: 2, approvers: ["@acme/sre-leads"] },
        ],
        autoApprove: null,
      },
    ],
    [
      "ids match; auto-approve intersects requesters and takes the smallest cap",
      [{ name: "prod-db" }, { id: 901 }],
      {
        deny: [],
        groupsForbidden: ["prod-db"],
        maxDurationMs: 2 * H,
        requirements: [
          { approvals: 2, approvers: ["@acme/sre-leads"] },
          { approvals: 1, approvers: ["@acme/security"] },
        ],
        autoApprove: { maxDurationMs: 30 * 60_000, requesters: ["@acme/sre"] },
      },
    ],
    [
      "deny lists denied resources by name or id",
      [{ name: "payroll-db" }, { id: 5 }],
      {
        deny: ["payroll-db"],
        groupsForbidden: [],
        maxDurationMs: 8 * H,
        requirements: [{ approvals: 1, approvers: ["@acme/security"] }],
        autoApprove: null,
      },
    ],
    [
      "an id-only resource never matches a name glob",
      [{ id: 183457 }],
      {
        deny: [],
        groupsForbidden: [],
        maxDurationMs: 8 * H,
        requirements: [{ approvals: 1, approvers: ["@acme/security"] }],
        autoApprove: null,
      },
    ],
  ])("%s", (_title, resources, expected) => {
    expect(effectiveRules(policy, resources)).toEqual(expected);
  });

  it("falls back to 8h and one approval when the policy sets nothing", () => {
    const bare: PolicyFile = { version: 1, organizations: { a: { orgId: 1, credentials: "A" } } };
    expect(effectiveRules(bare, [{ name: "x" }])).toEqual({
      deny: [],
      groupsForbidden: [],
      maxDurationMs: 8 * H,
      requirements: [{ approvals: 1, approvers: [] }],
      autoApprove: null,
    });
  });

  it("takes the first matching entry", () => {
    const ordered: PolicyFile = {
      ...policy,
      resources: [
        { match: { name: "prod-db" }, maxDuration: "1h" },
        { match: { name: "prod-*" }, deny: true },
      ],
    };
    expect(effectiveRules(ordered, [{ name: "prod-db" }])).toMatchObject({ deny: [], maxDurationMs: H });
    expect(effectiveRules(ordered, [{ name: "prod-api" }])).toMatchObject({ deny: ["prod-api"] });
  });
});

describe("effectiveRules of a resource seen first by name, then resolved (name and id)", () => {
  // Validation sees a resource as written (a name); the plan sees it resolved in Secure Access (name AND id).
  // Both ask the same policy object; a rule matching the id must not be lost to what the name alone matched.
  const byId: PolicyFile = {
    ...policy,
    resources: [
      { match: { ids: [7] }, deny: true },
      { match: { ids: [8] }, maxDuration: "1h" },
    ],
  };

  it("a deny by id applies to the resolved resource after its name was asked alone", () => {
    expect(effectiveRules(byId, [{ name: "payroll" }]).deny).toEqual([]);
    expect(resourceRule(byId, { name: "payroll" }).deny).toBe(false);
    expect(effectiveRules(byId, [{ name: "payroll", id: 7 }]).deny).toEqual(["payroll"]);
    expect(resourceRule(byId, { name: "payroll", id: 7 }).deny).toBe(true);
  });

  it("a cap by id applies whichever form was asked first", () => {
    expect(resourceRule(byId, { name: "hr", id: 8 }).maxDurationMs).toBe(H);
    expect(resourceRule(byId, { name: "hr" }).maxDurationMs).toBe(8 * H);
    expect(effectiveRules(byId, [{ name: "hr", id: 8 }]).maxDurationMs).toBe(H);
    expect(effectiveRules(byId, [{ name: "hr" }]).maxDurationMs).toBe(8 * H);
    expect(effectiveRules(byId, [{ id: 8 }]).maxDurationMs).toBe(H);
  });

  it("hands out the same frozen answer for the same resources", () => {
    const first = effectiveRules(policy, [{ name: "prod-db" }, { id: 901 }]);
    expect(effectiveRules(policy, [{ name: "prod-db" }, { id: 901 }])).toBe(first);
    expect(Object.isFrozen(first.requirements[0]!.approvers)).toBe(true);
    // Names that spell the same text when run together are different lists of resources.
    expect(effectiveRules(policy, [{ name: "prod-db1" }]).groupsForbidden).toEqual(["prod-db1"]);
    expect(effectiveRules(policy, [{ name: "prod-d" }, { name: "b1" }]).groupsForbidden).toEqual(["prod-d"]);
  });
});

describe("the per-policy caches", () => {
  const names = ["a", "ab", "AB", "b1", "x"];
  const arbResource = fc.oneof(
    fc.record({ name: fc.constantFrom(...names) }),
    fc.record({ id: fc.integer({ min: 1, max: 4 }) }),
    fc.record({ name: fc.constantFrom(...names), id: fc.integer({ min: 1, max: 4 }) }),
  );
  const arbEntry = fc.record(
    {
      match: fc.oneof(
        fc.record({ name: fc.constantFrom("a*", "?b", "ab", "*1", "*") }),
        fc.record({ ids: fc.uniqueArray(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 2 }) }),
      ),
      deny: fc.boolean(),
      maxDuration: fc.constantFrom("1h", "2h", "4h"),
      approvals: fc.integer({ min: 1, max: 3 }),
      allowGroups: fc.boolean(),
    },
    { requiredKeys: ["match"] },
  );

  it("answer every sequence of questions as a cold cache would (names, ids, or both, in any order)", () => {
    fc.assert(
      fc.property(
        fc.array(arbEntry, { maxLength: 4 }),
        fc.array(fc.array(arbResource, { maxLength: 3 }), { minLength: 1, maxLength: 12 }),
        (entries, questions) => {
          const asked = { ...policy, resources: entries } as PolicyFile;
          for (const resources of questions) {
            // A copy of the policy is a policy object never asked before: its answers are computed afresh.
            const cold = structuredClone(asked);
            expect(effectiveRules(asked, resources)).toEqual(effectiveRules(cold, resources));
            for (const resource of resources)
              expect(resourceRule(asked, resource)).toEqual(resourceRule(structuredClone(asked), resource));
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("globMatch", () => {
  it.each<[string, string, boolean]>([
    ["prod-*", "prod-db", true],
    ["prod-*", "prod-", true],
    ["prod-*", "Prod-db", true],
    ["prod-*", "Prod-DB", true],
    ["PROD-*", "prod-db", true],
    ["prod-*", "xprod-db", false],
    ["payroll-db", "payroll-db", true],
    ["payroll-db", "payroll-db2", false],
    ["db-?", "db-1", true],
    ["db-?", "db-12", false],
    ["*", "", true],
    ["a*b*c", "aXbYc", true],
    ["a*b*c", "aXbY", false],
    ["*.*", "a.b", true],
    ["a.b", "axb", false],
    [`${"*a".repeat(20)}b`, "a".repeat(50), false],
  ])("%s vs %s → %s", (pattern, text, expected) => {
    expect(globMatch(pattern, text)).toBe(expected);
  });
});
