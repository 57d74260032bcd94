// Which intervals an audit query selects: those overlapping the time window, for the user, resource and grant
// asked about. An interval is the half-open span [from, until); the window [since, until] is inclusive, so
// `--since T --until T` answers "who had access at T".
import { parseInstant } from "../time/instant.js";
import type { AccessInterval, AuditQuery } from "./audit-types.js";

export function filterIntervals(intervals: readonly AccessInterval[], query: AuditQuery): AccessInterval[] {
  return intervals.filter(
    (interval) =>
      overlaps(interval, query) &&
      (query.user === undefined || interval.users.some((user) => sameUser(user, query.user ?? ""))) &&
      (query.resource === undefined || interval.resources.some((name) => same(name, query.resource ?? ""))) &&
      (query.grant === undefined || interval.grantId === query.grant),
  );
}

/** An unknown start is "before the journal began" and an open interval has not ended. */
export function overlaps(interval: Pick<AccessInterval, "from" | "until">, query: AuditQuery): boolean {
  const from = interval.from === null ? -Infinity : (parseInstant(interval.from) ?? -Infinity);
  const until = interval.until === null ? Infinity : (parseInstant(interval.until) ?? Infinity);
  const startsInTime = query.until === null || from <= query.until;
  const endsAfter = query.since === null || until > query.since;
  return startsInTime && endsAfter;
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Case-insensitive match on the label, or on the UPN in parentheses ("Alice (alice@example.com)"). */
function sameUser(label: string, wanted: string): boolean {
  if (same(label, wanted)) return true;
  const upn = /\(([^()]+)\)\s*$/.exec(label)?.[1];
  return upn !== undefined && same(upn, wanted);
}
