// The requester controls grant files (reason, ticket, id, users, resources) and a Secure Access admin controls rule
// names: whatever they write, the PR comment, the notices and the terminal plan render it as inert text.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { plan } from "../../../src/core/plan/plan.js";
import { formatPlans } from "../../../src/core/report/format-plan.js";
import { inertMarkdown } from "../../../src/core/report/inert-markdown.js";
import { inertTerminal } from "../../../src/core/report/inert-terminal.js";
import { composeSticky } from "../../../src/github/sticky-comment.js";
import { breakGlassNotice, unverifiedApprovalNotice } from "../../../src/github/notify-pull-request.js";
import { toAnnotation } from "../../../src/github/create-check-run.js";
import { renderStatusSection } from "../../../src/pull-request/render-status-section.js";
import { formatProblem } from "../../../src/cli/format-problem.js";
import type { Plan } from "../../../src/core/model/types.js";
import { formatPullRequestComment } from "../../../src/core/report/format-pull-request-comment.js";
import type { PullRequestComment } from "../../../src/core/report/pull-request-comment.js";
import {
  approved,
  grant,
  hoursFromNow,
  managedRule,
  NOW,
  OPTIONS,
  planInput,
} from "../../helpers/plan-fixtures.js";
import { hostileString, markdownHazard, terminalInert } from "../../helpers/hostile-text.js";

interface Hostile {
  reason: string;
  ticket: string;
  grantId: string;
  user: string;
  resource: string;
  ruleName: string;
  message: string;
  organization: string;
}

const hostile: fc.Arbitrary<Hostile> = fc.record({
  reason: hostileString(),
  ticket: hostileString(),
  grantId: hostileString(),
  user: hostileString(),
  resource: hostileString(),
  ruleName: hostileString(),
  message: hostileString(),
  organization: hostileString(),
});

/** A real plan (the planner, not a hand-built object) with the hostile strings in every field that reaches a reader. */
function hostilePlan(h: Hostile): Plan {
  const base = {
    users: [h.user, "bob@example.com"],
    resources: [h.resource],
    reason: `${h.reason} ${h.ticket}`,
  };
  const created = grant({ ...base, grantId: h.grantId, identityIds: [1], breakGlass: true });
  const refused = grant({
    ...base,
    grantId: `${h.grantId}/refused`,
    identityIds: [2],
    approval: { status: "rejected", reason: h.message, pr: 4, requester: h.user },
  });
  const later = grant({
    ...base,
    grantId: `${h.grantId}/later`,
    identityIds: [3],
    startsAt: hoursFromNow(1),
  });
  const kept = grant({ ...base, grantId: `${h.grantId}/kept`, identityIds: [4], approval: approved() });
  const gone = grant({ grantId: `${h.grantId}/gone`, identityIds: [5] });
  const result = plan(
    {
      ...planInput({}),
      organization: h.organization,
      desired: [created, refused, later, kept],
      held: [{ grantId: `${h.grantId}/held`, reason: h.message }],
      actual: [
        managedRule(kept, 10),
        managedRule(gone, 11, { ruleName: `grantops-${h.ruleName}` }),
        managedRule(grant({ grantId: `${h.grantId}/held`, identityIds: [6] }), 12),
      ],
    },
    NOW,
    OPTIONS,
  );
  return { ...result, warnings: [...result.warnings, h.message] };
}

/** A comment model with the hostile strings in every field a requester, approver or vendor admin controls. */
function hostileComment(h: Hostile): PullRequestComment {
  const problem = {
    severity: "error" as const,
    code: h.ticket,
    file: `grants/${h.grantId}.yaml`,
    line: 2,
    column: 3,
    message: h.message,
  };
  const rule = {
    ruleName: `grantops-${h.ruleName}`,
    users: [h.user],
    groups: [h.organization],
    resources: [h.resource],
    startsAt: null,
    expiresAt: "2026-11-26T18:00:00Z",
    durationMs: 3_600_000,
  };
  const section = {
    grantId: h.grantId,
    file: `grants/${h.grantId}.yaml`,
    creates: [rule],
    problems: [problem],
    valid: true,
  };
  return {
    pullNumber: 7,
    basis: "As it would be after merging now.",
    sections: [
      {
        ...section,
        change: "added",
        deletes: [{ ruleName: h.ruleName, ruleId: 4, reason: "replaced" }],
        reason: h.reason,
        approval: {
          kind: "live",
          breakGlass: true,
          live: {
            approval: { status: "unverified", reason: h.message, pr: 7, requester: h.user },
            tallies: [
              { approvals: 2, approvers: ["@acme/sre-leads", h.organization], qualified: [h.user, h.ticket] },
            ],
          },
        },
      },
      {
        ...section,
        change: "changed",
        deletes: [],
        reason: null,
        approval: {
          kind: "live",
          breakGlass: false,
          live: { approval: { status: "rejected", reason: h.message, pr: 7, requester: null }, tallies: [] },
        },
      },
      {
        ...section,
        change: "changed",
        deletes: [],
        reason: h.reason,
        approval: {
          kind: "policy",
          requirements: [{ approvals: 1, approvers: [h.organization] }],
          autoApprove: { maxDurationMs: 3_600_000, requesters: [h.user] },
          breakGlass: true,
        },
      },
      { ...section, change: "removed", creates: [], deletes: [], reason: null, approval: { kind: "none" } },
    ],
    otherProblems: [problem],
    planError: h.message,
    refusals: [h.message],
    others: { create: 1, delete: 2, kept: 3, notGranted: 4, pending: 5, held: 6 },
    reviewers: [h.user],
  };
}

describe("inert rendering of hostile text", () => {
  it("the sticky PR comment (plan + status) has no HTML, link, image, mention or bidi, and ends with the footer", () => {
    fc.assert(
      fc.property(hostile, (h) => {
        const planMarkdown = formatPlans([hostilePlan(h)], "markdown");
        const status = renderStatusSection([
          { grantId: h.grantId, status: "not-granted", at: "2026-11-26T10:00:00Z", reason: h.message },
          { grantId: h.ticket, status: "granted", ruleId: h.ruleName, at: "2026-11-26T10:00:00Z" },
        ]);
        const comment = composeSticky({ plan: planMarkdown, status: "" });
        expect(markdownHazard(comment)).toBeNull();
        expect(markdownHazard(status)).toBeNull();
        expect(planMarkdown).toMatch(/\nNext wake: [^\n]*\.\n$/);
        expect(comment.trimEnd().split("\n").at(-1)).toMatch(/^Next wake: \S+\.$/);
      }),
      { numRuns: 300 },
    );
  });

  it("the PR comment's per-grant sections (rules, approval status, problems) stay inert", () => {
    fc.assert(
      fc.property(hostile, (h) => {
        const markdown = formatPullRequestComment(hostileComment(h));
        expect(markdownHazard(markdown)).toBeNull();
        expect(markdown).toContain("<details><summary>");
      }),
      { numRuns: 300 },
    );
  });

  it("notices: grant ids, reasons and expiries stay inert; only the policy's notify list is mentioned", () => {
    fc.assert(
      fc.property(hostile, (h) => {
        const unverified = unverifiedApprovalNotice({
          sha: "0123456789abcdef0123456789abcdef01234567",
          grants: [{ grantId: h.grantId, reason: h.reason }],
        });
        expect(markdownHazard(unverified.body)).toBeNull();
        const loud = breakGlassNotice({
          grantId: h.grantId,
          commit: "0123456789abcdef",
          requester: null,
          expiresAt: h.ticket,
          notify: [],
        });
        expect(markdownHazard(loud.body)).toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  it("terminal plan, problems and check annotations carry no control, ANSI, bidi or zero-width character", () => {
    fc.assert(
      fc.property(hostile, (h) => {
        const text = formatPlans([hostilePlan(h)], "text");
        expect(terminalInert(text)).toBe(true);
        const problem = {
          severity: "error" as const,
          code: "x",
          file: `grants/${h.grantId}.yaml`,
          line: 1,
          column: 1,
          message: h.message,
        };
        const line = formatProblem(problem);
        expect(terminalInert(line)).toBe(true);
        expect(line).not.toContain("\n");
        expect(terminalInert(toAnnotation(problem).message)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("the issue's example renders as text, visibly", () => {
    const reason = "x | y <!-- @acme/security [click](https://evil.example) <img src=x onerror=1>";
    expect(inertMarkdown(reason)).toBe(
      "x \\| y &lt;!-- @\u200bacme/security \\[click\\](https:\u200b//evil.example) &lt;img src=x onerror=1&gt;",
    );
    expect(inertTerminal("al\u200bice \u202eevil\x1b[31m")).toBe("al\\u200bice \\u202eevil\\u001b[31m");
    const notice = breakGlassNotice({
      grantId: "a/b",
      commit: "c",
      requester: "x <img src=1> @team",
      expiresAt: "2026-11-26T10:00:00Z",
      notify: ["@acme/security"],
    });
    expect(notice.body).toContain("(requested by @\u200bx &lt;img src=1&gt; @\u200bteam)");
    expect(notice.body).toContain("@acme/security: please review.");
  });
});
