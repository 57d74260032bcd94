// The status of a grant naming directory groups: the report carries the group names next to the users, and the
// table and the page show "group <name>" (never "?" for a group-only grant), escaped like any text from a file.
// A grant without groups has no `groups` field, so older readers of status.json still parse the report.
import { describe, expect, it } from "vitest";
import { plan } from "../../../src/core/plan/plan.js";
import { statusOf } from "../../../src/core/status/status-of.js";
import { formatStatusText } from "../../../src/core/status/format-status-text.js";
import { formatStatusHtml } from "../../../src/core/status/format-status-html.js";
import type { DesiredGrant } from "../../../src/core/model/types.js";
import { grant, grantFacts, NOW, OPTIONS, planInput } from "../../helpers/plan-fixtures.js";

const groupOnly = grant({
  grantId: "ops/oncall-jira",
  users: [],
  identityIds: [],
  groups: ["oncall-sre", "<b>dba</b>\u001b[2J"],
  groupIds: [1173600002, 1173600003],
});
const userOnly = grant({ grantId: "payments/alice-jira", identityIds: [1173502975], resourceIds: [183457] });

function reportOf(grants: DesiredGrant[]) {
  const source = {
    plan: plan(planInput({ desired: grants }), NOW, OPTIONS),
    grants: grants.map(grantFacts),
    created: grants.map((g) => g.grantId),
    deleted: [],
  };
  return statusOf(
    {
      source: "serve",
      organizations: [source],
      journal: [],
      runs: [],
      nextWakeAt: null,
      health: null,
      repository: null,
      withinMs: 3_600_000,
    },
    NOW,
  );
}

describe("status of a grant with groups", () => {
  const report = reportOf([groupOnly, userOnly]);
  const active = report.organizations[0]!.active;
  const byId = (id: string) => active.find((g) => g.grantId === id)!;

  it("carries the group names next to the users; a grant without groups has no groups field", () => {
    expect(byId("ops/oncall-jira")).toMatchObject({ users: [], groups: groupOnly.groups, state: "active" });
    expect(byId("payments/alice-jira").users).toEqual(["alice@example.com"]);
    expect(byId("payments/alice-jira")).not.toHaveProperty("groups");
  });

  it("the table names the groups, without control characters, and no ?", () => {
    const text = formatStatusText(report);
    const row = text.split("\n").find((line) => line.includes("ops/oncall-jira"))!;
    expect(row).toContain("group oncall-sre, group <b>dba</b>?[2J  Jira");
    expect(row).not.toContain("  ?  ");
    expect(text).not.toContain("\u001b");
  });

  it("the page names the groups, escaped", () => {
    const html = formatStatusHtml(report, { refreshSeconds: 30 });
    expect(html).toContain("<td>group oncall-sre<br>group &lt;b&gt;dba&lt;/b&gt;\u001b[2J</td>");
    expect(html).not.toContain("<b>dba");
  });
});
