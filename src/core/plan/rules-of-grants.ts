// The rules a push plans (docs/serve-and-workflows.md, "A push costs what it changes"): of the rules found by name,
// those of the changed grants, and those holding a name a changed grant needs. Pure.
import { compareText } from "../model/compare-text.js";
import { desiredRule } from "../rule/desired-rule.js";
import { parseMarker } from "../rule/rule-marker.js";
import { ruleName } from "../rule/rule-name.js";
import { normalizeInstant } from "../time/instant.js";
import type { ActualRule, DesiredGrant, PlanOptions } from "../model/types.js";

export type GrantRules =
  | { kind: "rules"; rules: ActualRule[] }
  /** A rule of a grant the push did not change holds a name a changed grant needs: only a full plan decides. */
  | { kind: "uncertain"; ruleName: string };

export interface GrantRulesInput {
  /** Rules found by name (see ruleNameStem), duplicates allowed. */
  found: readonly ActualRule[];
  /** The marker keys of the grants the push changed. */
  grants: ReadonlySet<string>;
  /** The desired grants among them (their rule names are needed). */
  desired: readonly DesiredGrant[];
  options: PlanOptions;
}

/**
 * The part of a grant's rule names shared by every version (prefix + slug + "-"): the `ruleName` filter that finds
 * them. It may find other rules too (a longer grant id, a foreign name containing it): rulesOfGrants sorts them out.
 */
export function ruleNameStem(prefix: string, grantId: string): string {
  return ruleName(prefix, grantId, "000000").slice(0, -6);
}

/**
 * Keeps a found rule when its marker names a changed grant (it is that grant's rule: the planner decides it as a
 * full plan would), or when it has no readable marker and holds a name a changed grant needs (a full plan would
 * see it block that name). A rule whose marker names another grant is never planned here (its grant is not in the
 * plan, so it would look removed): when it holds a needed name, the answer is "uncertain".
 */
export function rulesOfGrants(input: GrantRulesInput): GrantRules {
  const needed = new Set(
    input.desired
      .filter((grant) => normalizeInstant(grant.expiresAt) !== null)
      .map((grant) => desiredRule(grant, input.options).rule.ruleName.toLowerCase()),
  );
  const byId = new Map<number, ActualRule>();
  for (const rule of input.found) {
    const marker = parseMarker(rule.ruleDescription);
    if (marker !== null && input.grants.has(marker.grant)) {
      byId.set(rule.ruleId, rule);
      continue;
    }
    if (!needed.has(rule.ruleName.toLowerCase())) continue;
    if (marker !== null) return { kind: "uncertain", ruleName: rule.ruleName };
    byId.set(rule.ruleId, rule);
  }
  const rules = [...byId.values()].sort((a, b) => a.ruleId - b.ruleId || compareText(a.ruleName, b.ruleName));
  return { kind: "rules", rules };
}
