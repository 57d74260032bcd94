// The PR comment of a pull request that adds a grant naming a directory group: the rule line names the group,
// and without GitHub the policy's requirement is shown with the extra approval a group grant needs.
import { describe, expect, it } from "vitest";
import { plan } from "../../src/core/plan/plan.js";
import { formatPullRequestComment } from "../../src/core/report/format-pull-request-comment.js";
import { buildPullRequestComment } from "../../src/pull-request/build-pull-request-comment.js";
import type { Grant, PolicyFile } from "../../src/core/model/types.js";
import { grant, NOW, OPTIONS, planInput } from "../helpers/plan-fixtures.js";

const policy: PolicyFile = {
  version: 1,
  organizations: { acme: { orgId: 8094936, credentials: "ACME" } },
  defaults: { maxDuration: "8h", approvals: 1, approvers: ["@acme/security"] },
};
const desired = grant({
  grantId: "ops/oncall-grafana",
  identityIds: [],
  groupIds: [1173600002],
  users: [],
  groups: ["oncall-sre"],
  resources: ["Grafana"],
  expiresAt: "2026-11-26T14:00:00Z",
});
const file: Grant = {
  id: "ops/oncall-grafana",
  file: "grants/ops/oncall-grafana.yaml",
  users: [],
  groups: ["oncall-sre"],
  resources: ["Grafana"],
  organization: "acme",
  reason: "INC-7: on-call needs the dashboards",
  durationMs: 4 * 3_600_000,
  expiresAt: null,
  startsAt: null,
  ticket: null,
  breakGlass: false,
  positions: { users: [], groups: [{ line: 2, column: 10 }], resources: [{ line: 3, column: 13 }] },
};

describe("the PR comment of a grant with a group", () => {
  it("names the group in the rule and asks for one more approval than the policy", () => {
    const planned = plan(planInput({ desired: [desired] }), NOW, OPTIONS);
    const markdown = formatPullRequestComment(
      buildPullRequestComment({
        pullNumber: 9,
        basis: "At the head.",
        changeKinds: new Map([[file.file, "added"]]),
        grants: [file],
        policy,
        plans: [planned],
        problems: [],
        versions: new Map(),
        live: new Map(),
        refusals: [],
        planError: null,
      }),
    );
    expect(markdown).toMatch(
      /- \*\*Creates\*\* `grantops-ops-oncall-grafana-[0-9a-f]{6}`: group oncall-sre → Grafana,/,
    );
    expect(markdown).toContain(
      "- **Approval:** needs 2 approvals from @\u200bacme/security (one more than the policy asks: the grant names groups) (not checked: GitHub is not configured)",
    );
  });
});
