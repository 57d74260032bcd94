// Pins the rule grantops derives from a grant without groups, as computed before groups existed: adding the
// `groups:` field must not change the name, marker or hash of any existing rule (a change would replace every
// live rule once).
import { describe, expect, it } from "vitest";
import { desiredRule } from "../../../src/core/rule/desired-rule.js";
import { desiredGrants } from "../../../src/reconcile/desired-grants.js";
import { approved, grant, OPTIONS } from "../../helpers/plan-fixtures.js";
import type { ResolvedVersion } from "../../../src/core/model/types.js";

function resolvedVersion(): ResolvedVersion {
  return {
    grant: {
      id: "payments/alice-jira",
      file: "grants/payments/alice-jira.yaml",
      users: ["alice@example.com", { id: 1173502977 }],
      groups: [],
      resources: ["Jira", "Wiki"],
      organization: "acme",
      reason: "CHG-1234: investigate failed payments import",
      durationMs: 4 * 3_600_000,
      expiresAt: null,
      startsAt: null,
      ticket: null,
      breakGlass: false,
      positions: {
        users: [
          { line: 2, column: 10 },
          { line: 2, column: 29 },
        ],
        groups: [],
        resources: [
          { line: 3, column: 14 },
          { line: 3, column: 20 },
        ],
      },
    },
    commit: "0123456789abcdef0123456789abcdef01234567",
    landedAt: "2026-11-26T10:00:00Z",
    blob: "89abcdef0123456789abcdef0123456789abcdef",
    resolvedUsers: [
      { identityId: 1173502975, label: "alice@example.com", display: "alice@example.com" },
      { identityId: 1173502977, label: "carol@example.com", display: "carol@example.com" },
    ],
    resolvedGroups: [],
    resolvedResources: [
      { resourceId: 183456, name: "Jira" },
      { resourceId: 183460, name: "Wiki" },
    ],
    problems: [],
  };
}

describe("rules of grants without groups are unchanged", () => {
  it("the plan fixture's rule keeps its pre-groups name, marker and hash", () => {
    const { rule, sha } = desiredRule(grant({ expiresAt: "2026-11-26T18:00:00Z" }), OPTIONS);
    expect(sha).toBe("ee10f9d49259");
    expect(rule.ruleName).toBe("grantops-payments-alice-jira-ee10f9");
    expect(rule.ruleDescription).toBe(
      "grantops/v1 exp=2026-11-26T18:00:00Z sha=ee10f9d49259 grant=payments/alice-jira pr=12",
    );
  });

  it("a resolved version without groups gives the pre-groups rule", () => {
    const window = () => ({ startsAt: null, expiresAt: "2026-11-26T14:00:00Z" });
    const [desired] = desiredGrants([{ version: resolvedVersion(), approval: approved(42) }], window);
    const { rule, sha } = desiredRule(desired!, OPTIONS);
    expect(sha).toBe("3d8dd3eee7d7");
    expect(rule.ruleName).toBe("grantops-payments-alice-jira-3d8dd3");
    expect(rule.ruleConditions).toEqual([
      {
        attributeName: "umbrella.source.identity_ids",
        attributeOperator: "INTERSECT",
        attributeValue: [1173502975, 1173502977],
      },
      {
        attributeName: "umbrella.destination.private_resource_ids",
        attributeOperator: "IN",
        attributeValue: [183456, 183460],
      },
    ]);
  });
});
