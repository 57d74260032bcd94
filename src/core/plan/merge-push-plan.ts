// The cached view of an organization in `serve` (docs/serve-and-workflows.md, "A push costs what it changes"): the
// last full plan as applying it left the rules, with each push's plan of its changed grants merged in. Pure.
import { compareText } from "../model/compare-text.js";
import { markerGrantId } from "../rule/rule-marker.js";
import { parseInstant } from "../time/instant.js";
import { earliestAfter, sortByRule } from "./plan.js";
import type { StepOutcome } from "../model/step-outcome.js";
import type { KeptRule, Plan } from "../model/types.js";

/**
 * The organization's plan as a push sees it: the view's entries of the grants the push did not change (and of the
 * rules it did not decide), then the push's own entries and steps. Counts are the view's (the last full listing);
 * `nextWakeAt` is the earliest instant of the merged entries, so a push never delays a wake-up.
 */
export function mergePushPlan(view: Plan, partial: Plan, grants: ReadonlySet<string>): Plan {
  const decided = new Set([
    ...partial.steps.flatMap((step) => (step.kind === "delete" ? [step.ruleId] : [])),
    ...[...partial.kept, ...partial.held, ...partial.unverified, ...partial.suspicious].map((r) => r.ruleId),
  ]);
  const untouched = <T extends { grantId: string | null; ruleId?: number }>(entry: T): boolean =>
    !(entry.grantId !== null && grants.has(markerGrantId(entry.grantId))) &&
    !(entry.ruleId !== undefined && decided.has(entry.ruleId));
  const merged = {
    kept: sortByRule([...view.kept.filter(untouched), ...partial.kept]),
    held: sortByRule([...view.held.filter(untouched), ...partial.held]),
    unverified: sortByRule([...view.unverified.filter(untouched), ...partial.unverified]),
    suspicious: sortByRule([...view.suspicious.filter(untouched), ...partial.suspicious]),
    pending: byGrant([...view.pending.filter(untouched), ...partial.pending]),
    unapproved: byGrant([...view.unapproved.filter(untouched), ...partial.unapproved]),
  };
  const creates = partial.steps.flatMap((step) => (step.kind === "create" ? [step.expiresAt] : []));
  const wake = [
    ...merged.kept.map((k) => k.expiresAt),
    ...creates,
    ...merged.held.map((h) => h.expiresAt),
    ...merged.unverified.map((u) => u.expiresAt),
    ...merged.pending.map((p) => p.startsAt),
  ];
  const mentionsChanged = (warning: string): boolean =>
    [...grants].some(
      (grant) => warning.startsWith(`grant ${grant} `) || warning.startsWith(`grant ${grant}:`),
    );
  return {
    ...partial,
    ...merged,
    counts: view.counts,
    warnings: [...new Set([...view.warnings.filter((w) => !mentionsChanged(w)), ...partial.warnings])].sort(
      compareText,
    ),
    nextWakeAt: earliestAfter(wake, parseInstant(partial.at) ?? 0),
  };
}

/**
 * The plan as the rules stand after it was applied: each create that succeeded is a kept rule, each rule deleted
 * is gone, and no step is left. A failed step leaves its entry as planned (the run did not converge anyway).
 */
export function settlePlan(plan: Plan, outcomes: readonly StepOutcome[]): Plan {
  const ok = outcomes.filter((o) => o.outcome === "ok");
  const deleted = new Set(ok.flatMap((o) => (o.step.kind === "delete" ? [o.step.ruleId] : [])));
  const created: KeptRule[] = ok.flatMap((o) =>
    o.step.kind === "create" && o.ruleId !== undefined
      ? [
          {
            ruleId: o.ruleId,
            ruleName: o.step.rule.ruleName,
            grantId: markerGrantId(o.step.grantId),
            expiresAt: o.step.expiresAt,
          },
        ]
      : [],
  );
  const alive = <T extends { ruleId: number }>(entry: T): boolean => !deleted.has(entry.ruleId);
  const managed = Math.max(0, plan.counts.managed + created.length - deleted.size);
  return {
    ...plan,
    steps: [],
    kept: sortByRule([...plan.kept.filter(alive), ...created]),
    held: plan.held.filter(alive),
    unverified: plan.unverified.filter(alive),
    suspicious: plan.suspicious.filter(alive),
    counts: { ...plan.counts, managed },
  };
}

function byGrant<T extends { grantId: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => compareText(a.grantId, b.grantId));
}
