import { describe, expect, it } from "vitest";
import { buildIntervals } from "../../../src/core/audit/audit-intervals.js";
import { formatAudit } from "../../../src/core/audit/audit-format.js";
import { csvField } from "../../../src/core/audit/audit-format-csv.js";
import { approvedBy, untilOf } from "../../../src/core/audit/audit-format-table.js";
import type { AccessInterval } from "../../../src/core/audit/audit-types.js";

const base = buildIntervals([
  {
    time: "2026-03-02T09:01:00Z",
    organization: "acme",
    grantId: "payments/alice-jira",
    version: "a".repeat(40),
    ruleId: 1001,
    ruleName: "grantops-payments-alice-jira-3f9a1c",
    action: "create",
    reason: null,
    outcome: "ok",
    expiresAt: "2026-03-02T13:00:00Z",
    users: ["alice@example.com"],
    resources: ["Jira"],
    pr: 12,
    approval: "review",
    approvers: ["bob-gh"],
    breakGlass: false,
  },
]);
const interval: AccessInterval = {
  ...base[0]!,
  until: "2026-03-02T13:00:01Z",
  endedBy: "expired",
  reason: 'CHG-1234: investigate, "urgently"',
  ticket: "CHG-1234",
  requester: "Alice <alice@example.com>",
  mergedBy: "Bob <bob@example.com>",
};

describe("formatAudit", () => {
  it("table: aligned columns, live and unknown ends, notes", () => {
    const open: AccessInterval = {
      ...interval,
      grantId: "ops/x",
      ruleId: 5,
      ruleName: "grantops-ops-x-1",
      until: null,
      endedBy: null,
      live: false,
      approval: "trust-git",
      approvers: [],
      breakGlass: true,
      reason: "short",
      notes: ["gone"],
    };
    const text = formatAudit([interval, open], "table");
    const lines = text.split("\n");
    expect(lines[0]).toMatch(
      /^FROM\s+UNTIL\s+USERS\s+RESOURCES\s+GRANT\s+REQUESTED BY\s+APPROVED BY\s+PR\s+WHY$/,
    );
    expect(lines[1]).toContain("2026-03-02T13:00:01Z expired");
    expect(lines[1]).toContain("bob-gh (review)");
    expect(lines[2]).toContain("gone (unrecorded)");
    expect(lines[2]).toContain("ops/x [2]");
    expect(lines[2]).toContain("BREAK-GLASS trust-git, merged by Bob <bob@example.com>");
    // Columns line up: every row has the GRANT column at the same offset.
    const at = lines[0]!.indexOf("GRANT");
    expect(lines[1]!.slice(at)).toMatch(/^payments\/alice-jira/);
    expect(lines[2]!.slice(at)).toMatch(/^ops\/x/);
    expect(text).toContain("[2] grantops-ops-x-1 (rule 5): gone");
    expect(text.trimEnd().endsWith("2 intervals")).toBe(true);
    expect(formatAudit([], "table")).toBe("no access intervals match\n");
  });

  it("json: versioned document with every field", () => {
    const parsed = JSON.parse(formatAudit([interval], "json")) as {
      version: number;
      intervals: AccessInterval[];
    };
    expect(parsed).toEqual({ version: 1, intervals: [interval] });
  });

  it("csv: header, CRLF, RFC 4180 quoting, lists joined", () => {
    const text = formatAudit([interval], "csv");
    const lines = text.split("\r\n");
    expect(lines[0]).toBe(
      "from,until,endedBy,live,organization,grantId,ruleId,ruleName,users,resources,expiresAt,version,pr,approval,approvers,requester,mergedBy,reason,ticket,breakGlass,notes,groups",
    );
    expect(lines[1]).toBe(
      `2026-03-02T09:01:00Z,2026-03-02T13:00:01Z,expired,,acme,payments/alice-jira,1001,grantops-payments-alice-jira-3f9a1c,alice@example.com,Jira,2026-03-02T13:00:00Z,${"a".repeat(40)},12,review,bob-gh,Alice <alice@example.com>,Bob <bob@example.com>,"CHG-1234: investigate, ""urgently""",CHG-1234,false,,`,
    );
    expect(lines[2]).toBe("");
  });

  it.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["=HYPERLINK(1)", "'=HYPERLINK(1)"],
    ["@cmd, x", `"'@cmd, x"`],
    ["", ""],
  ])("csvField(%j) = %j", (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });
});

describe("approvedBy and untilOf", () => {
  it.each<[string, Partial<AccessInterval>, string]>([
    ["reviewers", {}, "bob-gh (review)"],
    [
      "trust-git with merger",
      { approval: "trust-git", approvers: [] },
      "trust-git, merged by Bob <bob@example.com>",
    ],
    ["unknown mode, merger known", { approval: null, approvers: [] }, "merged by Bob <bob@example.com>"],
    ["nothing known", { approval: null, approvers: [], mergedBy: null }, "?"],
    [
      "break-glass",
      { approval: "break-glass", approvers: [], mergedBy: null, breakGlass: true },
      "BREAK-GLASS break-glass",
    ],
  ])("%s", (_name, over, expected) => {
    expect(approvedBy({ ...interval, ...over })).toBe(expected);
  });

  it.each<[string, Partial<AccessInterval>, string]>([
    ["ended", {}, "2026-03-02T13:00:01Z expired"],
    ["open, not checked", { until: null, endedBy: null, live: null }, "live"],
    ["open, confirmed", { until: null, endedBy: null, live: true }, "live"],
    ["open, not found", { until: null, endedBy: null, live: false }, "gone (unrecorded)"],
  ])("%s", (_name, over, expected) => {
    expect(untilOf({ ...interval, ...over })).toBe(expected);
  });
});
