// Cross-checks intervals against the rules grantops owns in Secure Access now (`audit --live`): an open
// interval is confirmed live or flagged as gone, and an owned rule the journal never saw becomes an interval
// built from its marker.
import { blank, sortIntervals } from "./audit-intervals.js";
import type { AccessInterval, LiveRule } from "./audit-types.js";

export const NOTE_GONE = "not found in Secure Access: deleted without an entry in this journal";
export const NOTE_NOT_IN_JOURNAL = "not in the journal: built from the rule in Secure Access and its marker";
export const NOTE_LIVE_TAMPERED = "edited outside grantops: its conditions no longer match its marker";
export const NOTE_SUSPICIOUS =
  "suspicious: looks like a grantops rule, but nothing proves grantops created it (never written by grantops)";
export const NOTE_DELETED_BUT_LIVE = "the journal records its deletion, yet Secure Access still lists it";

/**
 * Marks intervals of the checked organizations live or not, and adds an interval for every live owned rule
 * without one. Intervals of organizations that were not checked keep `live: null`.
 */
export function mergeLiveRules(
  intervals: readonly AccessInterval[],
  live: readonly LiveRule[],
  checkedOrganizations: readonly string[],
): AccessInterval[] {
  const checked = new Set(checkedOrganizations);
  const byKey = new Map(live.map((rule) => [keyOf(rule.organization, rule.ruleId), rule]));
  const seen = new Set<string>();
  const merged = intervals.map((interval) => {
    if (!checked.has(interval.organization)) return interval;
    const key = interval.ruleId === null ? null : keyOf(interval.organization, interval.ruleId);
    const rule = key === null ? undefined : byKey.get(key);
    if (key !== null && rule !== undefined) seen.add(key);
    return withLiveState(interval, rule);
  });
  const added = live
    .filter((rule) => checked.has(rule.organization) && !seen.has(keyOf(rule.organization, rule.ruleId)))
    .map(fromLiveRule);
  return sortIntervals([...merged, ...added]);
}

function keyOf(organization: string, ruleId: number): string {
  return `${organization}\0${ruleId}`;
}

function withLiveState(interval: AccessInterval, rule: LiveRule | undefined): AccessInterval {
  const notes = [...interval.notes];
  if (rule === undefined) {
    if (interval.until === null) notes.push(NOTE_GONE);
    return { ...interval, live: false, notes };
  }
  if (interval.until !== null) notes.push(NOTE_DELETED_BUT_LIVE);
  if (rule.tampered) notes.push(NOTE_LIVE_TAMPERED);
  if (rule.suspicious === true) notes.push(NOTE_SUSPICIOUS);
  return { ...interval, live: true, notes };
}

function fromLiveRule(rule: LiveRule): AccessInterval {
  return {
    ...blank({ ...rule, expiresAt: rule.expiresAt }),
    from: rule.createdAt,
    users: [...rule.users],
    groups: [...rule.groups],
    resources: [...rule.resources],
    pr: rule.pr,
    live: true,
    notes: [
      NOTE_NOT_IN_JOURNAL,
      ...(rule.tampered ? [NOTE_LIVE_TAMPERED] : []),
      ...(rule.suspicious === true ? [NOTE_SUSPICIOUS] : []),
    ],
  };
}
