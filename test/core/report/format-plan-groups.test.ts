// Golden output of a plan that creates the rule of a grant naming a directory group: the text and Markdown show
// the group by name (after the users), the JSON carries it, the journal line records it.
import { describe, expect, it } from "vitest";
import { formatPlan } from "../../../src/core/report/format-plan.js";
import { plan } from "../../../src/core/plan/plan.js";
import { journalEntryFor } from "../../../src/core/report/journal-entry-for.js";
import { grant, NOW, OPTIONS, planInput } from "../../helpers/plan-fixtures.js";

const oncall = grant({
  grantId: "ops/oncall-grafana",
  identityIds: [1173502975],
  groupIds: [1173600002],
  resourceIds: [183459],
  users: ["alice@example.com"],
  groups: ["oncall-sre"],
  resources: ["Grafana"],
  expiresAt: "2026-11-26T14:00:00Z",
  reason: "INC-7: on-call needs the dashboards",
});
const groupOnly = grant({
  grantId: "ops/dba-db",
  identityIds: [],
  groupIds: [1173600003],
  resourceIds: [183457],
  users: [],
  groups: ["Database Admins (example.net\\dba)"],
  resources: ["prod-db"],
  expiresAt: "2026-11-26T12:00:00Z",
  reason: "INC-8: restore the orders table",
});
const planned = plan(planInput({ desired: [oncall, groupOnly] }), NOW, OPTIONS);

describe("a plan with groups", () => {
  it("text", () => {
    expect(formatPlan(planned, "text")).toBe(
      [
        "grantops plan for acme (org 8094936) at 2026-11-26T10:00:00Z, commit feedfacefeed",
        "Plan: 2 to create, 0 to delete.",
        "",
        "+ create grantops-ops-dba-db-b66bcb  grant ops/dba-db  grantees group Database Admins (example.net\\dba) → prod-db  until 2026-11-26T12:00:00Z",
        "+ create grantops-ops-oncall-grafana-1218ef  grant ops/oncall-grafana  grantees alice@example.com, group oncall-sre → Grafana  until 2026-11-26T14:00:00Z",
        "",
        "Rules: 0 managed, 0 tampered, 0 foreign (never touched)",
        "",
        "Next wake: 2026-11-26T12:00:00Z",
        "",
      ].join("\n"),
    );
  });

  it("markdown", () => {
    const md = formatPlan(planned, "markdown");
    expect(md).toContain(
      "| create | `grantops-ops-oncall-grafana-1218ef` | `ops/oncall-grafana` | alice@example.com, group oncall-sre | Grafana | 2026-11-26T14:00:00Z | INC-7: on-call needs the dashboards (approved by @\u200bbob (PR #12)) |",
    );
    expect(md).toContain(
      "| create | `grantops-ops-dba-db-b66bcb` | `ops/dba-db` | group Database Admins (example.net\\\\dba) | prod-db |",
    );
  });

  it("json and the rule: the group's id joins the users' in the identity condition", () => {
    const steps = (JSON.parse(formatPlan(planned, "json")) as typeof planned).steps;
    const create = steps.find((step) => step.grantId === "ops/oncall-grafana");
    expect(create).toMatchObject({
      users: ["alice@example.com"],
      groups: ["oncall-sre"],
      resources: ["Grafana"],
    });
    expect(create?.kind === "create" && create.rule.ruleConditions[0]?.attributeValue).toEqual([
      1173502975, 1173600002,
    ]);
  });

  it("the journal line records the group names", () => {
    const step = planned.steps.find((s) => s.grantId === "ops/oncall-grafana")!;
    const entry = journalEntryFor(planned, { step, outcome: "ok", ruleId: 9 }, NOW);
    expect(entry).toMatchObject({ users: ["alice@example.com"], groups: ["oncall-sre"] });
  });
});
