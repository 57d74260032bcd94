// The planner (docs/architecture.md): desired grants + actual rules + now → the steps that make Secure Access match git.
// Pure and deterministic: the same input in any order gives the same bytes of JSON.
import { classifyRule, type RuleClass } from "../rule/classify-rule.js";
import { compareText } from "../model/compare-text.js";
import { parseInstant, toInstant } from "../time/instant.js";
import { markerGrantId, type Marker } from "../rule/rule-marker.js";
import { assertRulePrefix } from "../rule/rule-name.js";
import { blockNameCollisions } from "./block-name-collisions.js";
import { selectDesired, type DesiredSelection, type SelectedGrant } from "./select-desired.js";
import { ownershipIndex, type OwnershipIndex } from "./ownership-index.js";
import { holdDecision } from "./history-hold.js";
import type {
  ActualRule,
  CreateStep,
  DeleteReason,
  DeleteStep,
  HeldGrant,
  Instant,
  KeptRule,
  Plan,
  PlanInput,
  PlanOptions,
} from "../model/types.js";

/** The delete groups, in plan order; the creates run between `freeName` and `replaced`. */
interface DeleteGroups {
  expired: DeleteStep[];
  /** Tampered rules holding the name of a live grant's rule: deleted before the creates. */
  freeName: DeleteStep[];
  replaced: DeleteStep[];
  removed: DeleteStep[];
  tampered: DeleteStep[];
}

/** Unexplained deletes run with the ones that free a name: access no approved grant explains goes first. */
const UNEXPLAINED = "freeName" satisfies keyof DeleteGroups;

interface Classified {
  rule: ActualRule;
  cls: RuleClass;
}

interface Context {
  nowMs: number;
  selection: DesiredSelection;
  /** Reasons to keep a grant's managed rules until their marker expiry, by marker grant key. */
  holds: ReadonlyMap<string, string>;
  ownership: OwnershipIndex;
}

interface Draft {
  deletes: DeleteGroups;
  kept: KeptRule[];
  held: Plan["held"];
  suspicious: Plan["suspicious"];
  unverified: Plan["unverified"];
  /** Keys of live grants whose desired rule already exists. */
  satisfied: Set<string>;
  warnings: string[];
}

export function plan(input: PlanInput, now: Date, options: PlanOptions): Plan {
  assertRulePrefix(options.rulePrefix);
  const nowMs = now.getTime();
  const selection = selectDesired(input, nowMs, options);
  const ownership = ownershipIndex(input, selection);
  const rules = [...input.actual]
    .sort((a, b) => a.ruleId - b.ruleId || compareText(a.ruleName, b.ruleName))
    .map((rule) => ({ rule, cls: classifyRule(rule, options, ownership.factsFor(rule)) }));
  const unblocked = blockNameCollisions(rules, selection, holdReasons(input.held), nowMs);
  const ctx: Context = { nowMs, selection: unblocked.selection, holds: unblocked.holds, ownership };
  const draft: Draft = {
    deletes: { expired: [], freeName: [], replaced: [], removed: [], tampered: [] },
    kept: [],
    held: [],
    suspicious: [],
    unverified: [],
    satisfied: new Set(),
    warnings: unblocked.warnings,
  };
  const liveNames = new Set([...ctx.selection.live.values()].map((g) => g.rule.ruleName));
  for (const { rule, cls } of rules) {
    if (cls.kind === "managed") decideManaged(rule, cls.marker, ctx, draft, true);
    if (cls.kind === "unverified") decideUnverified(rule, cls.marker, cls.recorded, ctx, draft);
    if (cls.kind === "tampered") {
      addDelete(draft, liveNames.has(rule.ruleName) ? "freeName" : "tampered", rule, cls.marker, "tampered");
    }
    if (cls.kind === "unexplained") addDelete(draft, UNEXPLAINED, rule, cls.marker, "unexplained");
    if (cls.kind === "suspicious") {
      draft.suspicious.push({
        ruleId: rule.ruleId,
        ruleName: rule.ruleName,
        grantId: cls.marker?.grant ?? null,
        reason: cls.reason,
      });
    }
  }
  const creates = [...ctx.selection.live.values()].filter((g) => !draft.satisfied.has(g.key)).map(createStep);
  return assemble(input, now, rules, creates, ctx, draft);
}

/**
 * A rule that looks intact but whose conditions were not seen yet: never kept as verified, and deleted only with
 * proof it is ours (grantops' record) and a reason; it still stands for its grant, so no second rule is created.
 */
function decideUnverified(
  rule: ActualRule,
  marker: Marker,
  recorded: boolean,
  ctx: Context,
  draft: Draft,
): void {
  if (recorded) return decideManaged(rule, marker, ctx, draft, false);
  const live = ctx.selection.live.get(marker.grant);
  if (live !== undefined && live.sha === marker.sha) draft.satisfied.add(live.key);
  listUnverified(draft, rule, marker);
}

function decideManaged(
  rule: ActualRule,
  marker: Marker,
  ctx: Context,
  draft: Draft,
  verified: boolean,
): void {
  if ((parseInstant(marker.exp) ?? 0) <= ctx.nowMs)
    return addDelete(draft, "expired", rule, marker, "expired");
  const live = ctx.selection.live.get(marker.grant);
  if (live !== undefined) {
    if (marker.sha !== live.sha || draft.satisfied.has(live.key)) {
      return addDelete(draft, "replaced", rule, marker, "replaced");
    }
    draft.satisfied.add(live.key);
    return verified ? keep(draft, rule, marker) : listUnverified(draft, rule, marker);
  }
  const unapproved = ctx.selection.unapproved.get(marker.grant);
  if (unapproved !== undefined) {
    // Rejected means the policy forbids this very version (deny, over the cap, not landed by a PR): its rule goes
    // now. Unverified (approvals missing) keeps a rule that exists. An older version is kept until its own expiry:
    // an edit that is not approved neither revokes nor extends.
    const rejected = unapproved.grant.approval.status === "rejected";
    if (marker.sha === unapproved.sha) {
      if (rejected) return addDelete(draft, "removed", rule, marker, "removed");
      return verified ? keep(draft, rule, marker) : listUnverified(draft, rule, marker);
    }
    const why = rejected ? "new version rejected" : "new version awaiting approval";
    return holdFromHistory(rule, marker, why, ctx, draft, verified);
  }
  const reason = ctx.holds.get(marker.grant);
  if (reason !== undefined) return holdFromHistory(rule, marker, reason, ctx, draft, verified);
  if (ctx.ownership.history(marker.grant)?.known === false) {
    return addDelete(draft, UNEXPLAINED, rule, marker, "unexplained");
  }
  addDelete(draft, "removed", rule, marker, "removed");
}

const HOLD_DELETE_GROUPS = {
  expired: "expired",
  removed: "removed",
  unexplained: UNEXPLAINED,
} as const satisfies Record<string, keyof DeleteGroups>;

/** Holds a rule as long as git allows (history-hold.ts); deletes it when git does not explain it. */
function holdFromHistory(
  rule: ActualRule,
  marker: Marker,
  reason: string,
  ctx: Context,
  draft: Draft,
  verified: boolean,
): void {
  const decision = holdDecision(marker, ctx.ownership.history(marker.grant), ctx.nowMs);
  if (decision.kind === "delete") {
    const group = HOLD_DELETE_GROUPS[decision.reason];
    return addDelete(draft, group, rule, { ...marker, exp: decision.expiresAt }, decision.reason);
  }
  if (!verified) return listUnverified(draft, rule, marker);
  hold(draft, rule, { ...marker, exp: decision.until }, reason);
}

function listUnverified(draft: Draft, rule: ActualRule, marker: Marker): void {
  draft.unverified.push({
    ruleId: rule.ruleId,
    ruleName: rule.ruleName,
    grantId: marker.grant,
    expiresAt: marker.exp,
  });
}

function holdReasons(held: readonly HeldGrant[]): Map<string, string> {
  const sorted = [...held].sort(
    (a, b) => compareText(a.grantId, b.grantId) || compareText(a.reason, b.reason),
  );
  const out = new Map<string, string>();
  for (const h of sorted) {
    const key = markerGrantId(h.grantId);
    if (!out.has(key)) out.set(key, h.reason);
  }
  return out;
}

function addDelete(
  draft: Draft,
  group: keyof DeleteGroups,
  rule: ActualRule,
  marker: Marker | null,
  reason: DeleteReason,
): void {
  draft.deletes[group].push({
    kind: "delete",
    ruleId: rule.ruleId,
    ruleName: rule.ruleName,
    grantId: marker?.grant ?? null,
    reason,
    expiresAt: marker?.exp ?? null,
  });
}

function keep(draft: Draft, rule: ActualRule, marker: Marker): void {
  draft.kept.push({
    ruleId: rule.ruleId,
    ruleName: rule.ruleName,
    grantId: marker.grant,
    expiresAt: marker.exp,
  });
}

function hold(draft: Draft, rule: ActualRule, marker: Marker, reason: string): void {
  draft.held.push({
    grantId: marker.grant,
    ruleId: rule.ruleId,
    ruleName: rule.ruleName,
    expiresAt: marker.exp,
    reason,
  });
}

function createStep(selected: SelectedGrant): CreateStep {
  const { grant } = selected;
  return {
    kind: "create",
    grantId: grant.grantId,
    commit: grant.commit,
    pr: grant.approval.pr,
    expiresAt: selected.exp,
    rule: selected.rule,
    // The desired grant's own lists (never changed after it is made): no copy per create of a large plan.
    users: grant.users,
    groups: grant.groups,
    resources: grant.resources,
    reason: grant.reason,
    breakGlass: grant.breakGlass,
    approval: grant.approval,
  };
}

function assemble(
  input: PlanInput,
  now: Date,
  rules: Classified[],
  creates: CreateStep[],
  ctx: Context,
  draft: Draft,
): Plan {
  const deletes = (group: keyof DeleteGroups): DeleteStep[] => sortByRule(draft.deletes[group]);
  const kept = sortByRule(draft.kept);
  const held = sortByRule(draft.held);
  const suspicious = sortByRule(draft.suspicious);
  const unverified = sortByRule(draft.unverified);
  const pending = [...ctx.selection.pending].sort((a, b) => compareText(a.grantId, b.grantId));
  const sortedCreates = [...creates].sort(
    (a, b) => compareText(a.grantId, b.grantId) || compareText(a.rule.ruleName, b.rule.ruleName),
  );
  const unapproved = [...ctx.selection.unapproved.values()].map(unapprovedEntry);
  const wakeCandidates = [
    ...kept.map((k) => k.expiresAt),
    ...sortedCreates.map((c) => c.expiresAt),
    ...held.map((h) => h.expiresAt),
    ...unverified.map((u) => u.expiresAt),
    ...pending.map((p) => p.startsAt),
  ];
  return {
    version: 1,
    organization: input.organization,
    orgId: input.orgId,
    at: toInstant(now),
    commit: input.commit,
    steps: [
      ...deletes("expired"),
      ...deletes("freeName"),
      ...sortedCreates,
      ...deletes("replaced"),
      ...deletes("removed"),
      ...deletes("tampered"),
    ],
    kept,
    pending,
    unapproved: unapproved.sort((a, b) => compareText(a.grantId, b.grantId)),
    held,
    suspicious,
    unverified,
    counts: countClasses(rules),
    warnings: [...ctx.selection.warnings, ...draft.warnings].sort(compareText),
    nextWakeAt: earliestAfter(wakeCandidates, ctx.nowMs),
  };
}

function unapprovedEntry({ grant }: SelectedGrant): Plan["unapproved"][number] {
  const approval = grant.approval;
  if (approval.status === "approved") throw new Error("unreachable: approved grant listed as unapproved");
  return { grantId: grant.grantId, status: approval.status, reason: approval.reason, pr: approval.pr };
}

/** Rules in plan order: by grant id, then rule name, then rule id (merge-push-plan keeps the same order). */
export function sortByRule<T extends { grantId: string | null; ruleName: string; ruleId: number }>(
  items: T[],
): T[] {
  return [...items].sort(
    (a, b) =>
      compareText(a.grantId ?? "", b.grantId ?? "") ||
      compareText(a.ruleName, b.ruleName) ||
      a.ruleId - b.ruleId,
  );
}

function countClasses(rules: Classified[]): Plan["counts"] {
  const counts = { managed: 0, tampered: 0, unexplained: 0, unverified: 0, suspicious: 0, foreign: 0 };
  for (const { cls } of rules) counts[cls.kind] += 1;
  return counts;
}

/** The earliest of the instants strictly after nowMs, or null. */
export function earliestAfter(instants: readonly Instant[], nowMs: number): Instant | null {
  let best: number | null = null;
  for (const instant of instants) {
    const ms = parseInstant(instant);
    if (ms !== null && ms > nowMs && (best === null || ms < best)) best = ms;
  }
  return best === null ? null : toInstant(best);
}
