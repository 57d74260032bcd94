// Step 1 of planning: sort the desired grants into live (approved and started), pending (starts later) and
// unapproved, each with its desired rule; everything skipped gets a warning.
import { compareText } from "../model/compare-text.js";
import { desiredRule } from "../rule/desired-rule.js";
import { normalizeInstant, parseInstant } from "../time/instant.js";
import { markerGrantId } from "../rule/rule-marker.js";
import type { RuleInput } from "../model/secure-access-types.js";
import type { DesiredGrant, Instant, Plan, PlanInput, PlanOptions } from "../model/types.js";

export interface SelectedGrant {
  grant: DesiredGrant;
  /** The grant id as markers record it (the key rules are matched by). */
  key: string;
  exp: Instant;
  rule: RuleInput;
  /** The desired rule's 12-hex hash (as in its marker). */
  sha: string;
}

export interface DesiredSelection {
  /** Approved grants that have started, by key. */
  live: Map<string, SelectedGrant>;
  /** Grants whose approval is not verified or was rejected, by key. */
  unapproved: Map<string, SelectedGrant>;
  pending: Plan["pending"];
  warnings: string[];
}

export function selectDesired(input: PlanInput, nowMs: number, options: PlanOptions): DesiredSelection {
  const out: DesiredSelection = { live: new Map(), unapproved: new Map(), pending: [], warnings: [] };
  const keys = new Set<string>();
  const names = new Map<string, string>();
  for (const grant of sortGrants(input.desired)) {
    const selected = select(grant, input.organization, nowMs, options, out.warnings);
    if (selected === null) continue;
    const { key } = selected;
    const owner = names.get(selected.rule.ruleName);
    if (keys.has(key)) {
      out.warnings.push(`grant ${grant.grantId} appears more than once; the duplicate is ignored`);
    } else if (owner !== undefined) {
      out.warnings.push(
        `grant ${grant.grantId} maps to rule name ${selected.rule.ruleName}, already used by grant ${owner}; ignored`,
      );
    } else {
      keys.add(key);
      names.set(selected.rule.ruleName, grant.grantId);
      place(selected, nowMs, out);
    }
  }
  return out;
}

function place(selected: SelectedGrant, nowMs: number, out: DesiredSelection): void {
  const { grant, key } = selected;
  if (grant.approval.status !== "approved") {
    out.unapproved.set(key, selected);
    return;
  }
  const startsAt = grant.startsAt === null ? null : normalizeInstant(grant.startsAt);
  if (startsAt !== null && (parseInstant(startsAt) ?? 0) > nowMs) {
    out.pending.push({ grantId: grant.grantId, startsAt, expiresAt: selected.exp });
    return;
  }
  out.live.set(key, selected);
}

function select(
  grant: DesiredGrant,
  organization: string,
  nowMs: number,
  options: PlanOptions,
  warnings: string[],
): SelectedGrant | null {
  const id = grant.grantId;
  const exp = normalizeInstant(grant.expiresAt);
  if (grant.organization !== organization) {
    warnings.push(`grant ${id} is for organization ${grant.organization}, not ${organization}; ignored`);
  } else if (exp === null) {
    warnings.push(`grant ${id} has an unreadable expiresAt (${grant.expiresAt}); ignored`);
  } else if ((parseInstant(exp) ?? 0) <= nowMs) {
    warnings.push(`grant ${id} expired at ${exp}; move its file with grantops tidy`);
  } else if (grant.startsAt !== null && normalizeInstant(grant.startsAt) === null) {
    warnings.push(`grant ${id} has an unreadable startsAt (${grant.startsAt}); ignored`);
  } else if (grant.identityIds.length + grant.groupIds.length === 0 || grant.resourceIds.length === 0) {
    warnings.push(`grant ${id} resolves to no identities or no resources; ignored`);
  } else {
    const { rule, sha } = desiredRule(grant, options);
    return { grant, key: markerGrantId(id), exp, rule, sha };
  }
  return null;
}

/** By grant id; the whole grant's JSON breaks a tie (computed only then: ids are nearly always distinct). */
function sortGrants(grants: readonly DesiredGrant[]): DesiredGrant[] {
  return [...grants].sort(
    (a, b) => compareText(a.grantId, b.grantId) || compareText(JSON.stringify(a), JSON.stringify(b)),
  );
}
