// Golden test of the PR comment (no fuzz): a pull request that adds ONE grant into an organization that has 50
// other grants. The comment is about that grant (its rule, approval status, reviewers) and stays short; the other
// 50 appear only as counts in a collapsed <details> summary.
import { describe, expect, it } from "vitest";
import { plan } from "../../src/core/plan/plan.js";
import { formatPullRequestComment } from "../../src/core/report/format-pull-request-comment.js";
import { buildPullRequestComment } from "../../src/pull-request/build-pull-request-comment.js";
import { labelPending } from "../../src/pull-request/pending-approval-verifier.js";
import type { Grant, PolicyFile, ResolvedVersion } from "../../src/core/model/types.js";
import { grant, managedRule, NOW, OPTIONS, planInput } from "../helpers/plan-fixtures.js";

const policy: PolicyFile = {
  version: 1,
  organizations: { acme: { orgId: 8094936, credentials: "ACME" } },
  defaults: { maxDuration: "8h", approvals: 1, approvers: ["@acme/security"] },
  resources: [{ match: { name: "prod-*" }, maxDuration: "4h", approvals: 2, approvers: ["@acme/sre-leads"] }],
};

const others = Array.from({ length: 50 }, (_, i) =>
  grant({ grantId: `team/person-${i}`, identityIds: [1000 + i], users: [`person-${i}@example.com`] }),
);
const mine = grant({
  grantId: "sre/erin-prod-db",
  identityIds: [7],
  resourceIds: [42],
  users: ["erin@example.com"],
  resources: ["Prod-DB"],
  expiresAt: "2026-11-26T11:30:00Z",
  reason: "INC-42: restore the orders table",
});
const erin: Grant = {
  id: "sre/erin-prod-db",
  file: "grants/sre/erin-prod-db.yaml",
  users: ["erin@example.com"],
  groups: [],
  resources: ["Prod-DB"],
  organization: "acme",
  reason: "INC-42: restore the orders table",
  durationMs: 90 * 60_000,
  expiresAt: null,
  startsAt: null,
  ticket: null,
  breakGlass: false,
  positions: { users: [{ line: 2, column: 9 }], groups: [], resources: [{ line: 3, column: 13 }] },
};
const version: ResolvedVersion = {
  grant: erin,
  commit: "feedfacefeedfacefeedfacefeedfacefeedface",
  landedAt: "2026-11-26T10:00:00Z",
  blob: "b".repeat(40),
  resolvedUsers: [{ identityId: 7, label: "erin@example.com", display: "erin@example.com" }],
  resolvedGroups: [],
  resolvedResources: [{ resourceId: 42, name: "Prod-DB" }],
  problems: [],
};

function comment() {
  const planned = plan(
    planInput({ desired: [...others, mine], actual: others.map((g, i) => managedRule(g, 100 + i)) }),
    NOW,
    OPTIONS,
  );
  return buildPullRequestComment({
    pullNumber: 31,
    basis: "As it would be after merging `0123456789ab` into `main` now.",
    changeKinds: new Map([["grants/sre/erin-prod-db.yaml", "added"]]),
    grants: [erin],
    policy,
    plans: [labelPending(planned, new Set([mine.grantId]), 31)],
    problems: [],
    versions: new Map([[mine.grantId, version]]),
    live: new Map([
      [
        mine.grantId,
        {
          approval: {
            status: "unverified",
            reason: "needs 2 approvals from @acme/sre-leads; got 1 (lee)",
            pr: 31,
            requester: "erin-gh",
          },
          tallies: [{ approvals: 2, approvers: ["@acme/sre-leads"], qualified: ["lee"] }],
        },
      ],
    ]),
    refusals: [],
    planError: null,
  });
}

describe("the PR comment of a one-grant PR in an organization with 50 other grants", () => {
  it("is about that grant, and short", () => {
    const model = comment();
    const markdown = formatPullRequestComment(model);
    const ruleName = (
      plan(planInput({ desired: [mine] }), NOW, OPTIONS).steps[0] as { rule: { ruleName: string } }
    ).rule.ruleName;
    expect(markdown).toBe(
      [
        "## grantops: pull request #31",
        "",
        "As it would be after merging `0123456789ab` into `main` now.",
        "",
        "### `sre/erin-prod-db` (added): `grants/sre/erin-prod-db.yaml`",
        "",
        `- **Creates** \`${ruleName}\`: erin@example.com → Prod-DB, from the merge for 90m (until 2026-11-26T11:30:00Z if merged now)`,
        "- **Reason:** INC-42: restore the orders table",
        "- **Approval:** needs 2 approvals from @\u200bacme/sre-leads: 1 so far (lee); waiting for 1",
        "- **Details:** needs 2 approvals from @\u200bacme/sre-leads; got 1 (lee)",
        "",
        "<details><summary>The rest of the organization (not changed by this pull request)</summary>",
        "",
        "0 to create, 0 to delete, 50 kept, 0 not granted, 0 starting later, 0 held. The full plan is in the grantops check.",
        "",
        "</details>",
      ].join("\n"),
    );
    expect(markdown.length).toBeLessThan(1000);
    expect(markdown).not.toMatch(/person-/);
    expect(model.reviewers).toEqual(["@acme/sre-leads"]);
  });
});
