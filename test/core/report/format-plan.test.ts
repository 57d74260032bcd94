import { describe, expect, it } from "vitest";
import { desiredRule } from "../../../src/core/rule/desired-rule.js";
import { formatPlan, formatPlans } from "../../../src/core/report/format-plan.js";
import { plan } from "../../../src/core/plan/plan.js";
import { journalEntryFor } from "../../../src/core/report/journal-entry-for.js";
import type { Plan } from "../../../src/core/model/types.js";
import {
  approved,
  foreignRule,
  grant,
  hoursFromNow,
  managedRule,
  NOW,
  OPTIONS,
  planInput,
  unapproved,
} from "../../helpers/plan-fixtures.js";

const alice = grant({ expiresAt: "2026-11-26T18:00:00Z" });
const aliceName = desiredRule(alice, OPTIONS).rule.ruleName;
const bob = grant({
  grantId: "ops/bob-db",
  users: ["bob@example.com"],
  resources: ["db|prod"],
  identityIds: [2],
  breakGlass: true,
  approval: approved(8, "break-glass"),
});
const lapsed = grant({ grantId: "ops/lapsed", expiresAt: "2026-11-26T09:00:00Z" });
const kept = grant({ grantId: "team/kept", identityIds: [3] });

function sample(): Plan {
  return plan(
    planInput({
      desired: [
        alice,
        bob,
        kept,
        grant({ grantId: "t/later", startsAt: hoursFromNow(1) }),
        grant({ grantId: "t/wait", approval: unapproved("rejected", 31) }),
      ],
      held: [{ grantId: "t/held", reason: "grants/t/held.yaml is invalid" }],
      actual: [
        managedRule(lapsed, 1),
        managedRule(kept, 2),
        managedRule(grant({ grantId: "t/held" }), 3),
        foreignRule(4),
        managedRule(grant({ grantId: "t/removed" }), 5),
      ],
    }),
    NOW,
    OPTIONS,
  );
}

describe("formatPlan text", () => {
  const text = formatPlan(sample(), "text");

  it("has a header, a summary and one line per step", () => {
    expect(text).toContain(
      "grantops plan for acme (org 8094936) at 2026-11-26T10:00:00Z, commit feedfacefeed",
    );
    expect(text).toContain("Plan: 2 to create, 2 to delete (1 expired, 1 removed).");
    expect(text).toContain(
      `+ create ${aliceName}  grant payments/alice-jira  users alice@example.com → Jira  until 2026-11-26T18:00:00Z\n`,
    );
    expect(text).toMatch(/\+ create grantops-ops-bob-db-[0-9a-f]{6} {2}grant ops\/bob-db .* BREAK-GLASS\n/);
    expect(text).toMatch(
      /- delete grantops-ops-lapsed-[0-9a-f]{6} {2}rule 1 {2}grant ops\/lapsed {2}expired at 2026-11-26T09:00:00Z\n/,
    );
    expect(text).toMatch(
      /- delete grantops-t-removed-[0-9a-f]{6} {2}rule 5 {2}grant t\/removed {2}removed \(rule expiry 2026-11-26T18:00:00Z\)\n/,
    );
  });

  it("lists what stays, counts, warnings and the next wake", () => {
    expect(text).toContain("Kept (1):\n  = grantops-team-kept-");
    expect(text).toContain("Pending (1):\n  ~ grant t/later  starts 2026-11-26T11:00:00Z");
    expect(text).toContain("Unapproved (not granted) (1):\n  ! grant t/wait  rejected: needs 1 approval");
    expect(text).toContain("(PR #31)");
    expect(text).toContain("Held (kept until their recorded expiry) (1):");
    expect(text).toContain("grants/t/held.yaml is invalid");
    expect(text).toContain("Rules: 4 managed, 0 tampered, 1 foreign (never touched)");
    expect(text).toContain("Next wake: 2026-11-26T11:00:00Z\n");
  });

  it("says when there is nothing to change", () => {
    const empty = formatPlan(plan(planInput({}), NOW, OPTIONS), "text");
    expect(empty).toContain("No changes.");
    expect(empty).toContain("Next wake: none");
  });

  it("shows warnings", () => {
    const p = plan(planInput({ desired: [lapsed] }), NOW, OPTIONS);
    expect(formatPlan(p, "text")).toContain(
      "Warnings (1):\n  ! grant ops/lapsed expired at 2026-11-26T09:00:00Z",
    );
  });

  it("is deterministic", () => {
    expect(formatPlan(sample(), "text")).toBe(text);
  });
});

describe("formatPlan markdown", () => {
  const md = formatPlan(sample(), "markdown");

  it("has a heading, a summary and a table of steps with who, what, until and why", () => {
    expect(md).toContain("### grantops plan for `acme`");
    expect(md).toContain("**Plan: 2 to create, 2 to delete (1 expired, 1 removed).**");
    expect(md).toContain("| Action | Rule | Grant | Who | What | Until | Why |");
    expect(md).toContain(
      `| create | \`${aliceName}\` | \`payments/alice-jira\` | alice@example.com | Jira | 2026-11-26T18:00:00Z | CHG-1234: investigate failed payments import (approved by @\u200bbob (PR #12)) |`,
    );
    expect(md).toMatch(
      /\| delete \| `grantops-ops-lapsed-[0-9a-f]{6}` \| `ops\/lapsed` \| {2}\| {2}\| 2026-11-26T09:00:00Z \| expired \|/,
    );
  });

  it("flags break-glass loudly and escapes table cells", () => {
    expect(md).toMatch(
      /\*\*BREAK-GLASS: grant `ops\/bob-db` gives bob@example.com access to db\\\|prod until .* without review \(PR #8\)\.\*\*/,
    );
    expect(md).toContain("| db\\|prod |");
    expect(md).toContain("break-glass, no review (PR #8)");
  });

  it("has sections for unapproved, pending, held and kept grants, and counts", () => {
    expect(md).toContain("#### Not granted (approval missing or rejected) (1)");
    expect(md).toContain("- `t/wait` (rejected, PR #31): needs 1 approval");
    expect(md).toContain("#### Pending (starts later) (1)");
    expect(md).toContain("#### Held (kept until their recorded expiry) (1)");
    expect(md).toContain("<details><summary>Kept rules (1)</summary>");
    expect(md).toContain("Rules in the organization: 4 managed, 0 tampered, 1 foreign (never touched).");
    expect(md).toContain("Next wake: 2026-11-26T11:00:00Z.");
  });

  it("says when there is nothing to change", () => {
    expect(formatPlan(plan(planInput({}), NOW, OPTIONS), "markdown")).toContain("No changes.");
  });

  it("is produced for 1,000 steps", () => {
    const many = Array.from({ length: 1000 }, (_, i) => grant({ grantId: `bulk/g${i}` }));
    const out = formatPlan(plan(planInput({ desired: many }), NOW, OPTIONS), "markdown");
    expect(out.split("\n").filter((l) => l.startsWith("| create ")).length).toBe(1000);
  });
});

describe("formatPlan json", () => {
  it("is the plan, pretty-printed, with a final newline", () => {
    const p = sample();
    const json = formatPlan(p, "json");
    expect(json.endsWith("}\n")).toBe(true);
    expect(JSON.parse(json)).toEqual(p);
  });
});

describe("formatPlans", () => {
  const other = { ...sample(), organization: "globex", orgId: 2 };

  it("wraps several plans in a versioned JSON document", () => {
    const parsed = JSON.parse(formatPlans([sample(), other], "json")) as { version: number; plans: Plan[] };
    expect(parsed.version).toBe(1);
    expect(parsed.plans.map((p) => p.organization)).toEqual(["acme", "globex"]);
  });

  it("concatenates text and markdown", () => {
    const text = formatPlans([sample(), other], "text");
    expect(text).toContain("grantops plan for acme");
    expect(text).toContain("grantops plan for globex");
    expect(formatPlans([sample(), other], "markdown")).toContain("\n---\n");
  });
});

describe("a grant without a reason (defaults.requireReason: false)", () => {
  const silent = grant({ grantId: "t/silent", reason: null });
  const p = plan(planInput({ desired: [silent] }), NOW, OPTIONS);

  it('says "no reason given" in the plan text, the Markdown and the journal', () => {
    expect(formatPlan(p, "text")).toContain("(no reason given)");
    expect(formatPlan(p, "markdown")).toContain("no reason given (");
    const step = p.steps[0];
    expect(step?.kind === "create" && step.reason).toBeNull();
    expect(journalEntryFor(p, { step: step!, outcome: "ok", ruleId: 1 }, NOW)).toMatchObject({
      why: "no reason given",
    });
  });
});
