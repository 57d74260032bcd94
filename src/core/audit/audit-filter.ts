// Which intervals an audit query selects: those overlapping the time window, for the user, group, resource and grant
// asked about. An interval is the half-open span [from, until); the window [since, until] is inclusive, so
// `--since T --until T` answers "who had access at T". grantops cannot see directory membership, so a user query also
// selects every grant to a directory group, marked with a note (docs/audit.md#users-and-groups).
import { parseInstant } from "../time/instant.js";
import type { AccessInterval, AuditQuery } from "./audit-types.js";

export function filterIntervals(intervals: readonly AccessInterval[], query: AuditQuery): AccessInterval[] {
  return intervals
    .filter(
      (interval) =>
        overlaps(interval, query) &&
        (query.user === undefined || grantsUser(interval, query.user)) &&
        (query.group === undefined ||
          interval.groups.some((group) => sameIdentity(group, query.group ?? ""))) &&
        (query.resource === undefined ||
          interval.resources.some((name) => same(name, query.resource ?? ""))) &&
        (query.grant === undefined || interval.grantId === query.grant),
    )
    .map((interval) => withGroupNote(interval, query.user));
}

/** An unknown start is "before the journal began" and an open interval has not ended. */
export function overlaps(interval: Pick<AccessInterval, "from" | "until">, query: AuditQuery): boolean {
  const from = interval.from === null ? -Infinity : (parseInstant(interval.from) ?? -Infinity);
  const until = interval.until === null ? Infinity : (parseInstant(interval.until) ?? Infinity);
  const startsInTime = query.until === null || from <= query.until;
  const endsAfter = query.since === null || until > query.since;
  return startsInTime && endsAfter;
}

/** The user by name, or any directory group (the user may have been a member: grantops cannot tell). */
function grantsUser(interval: AccessInterval, user: string): boolean {
  return namesUser(interval, user) || interval.groups.length > 0;
}

function namesUser(interval: AccessInterval, user: string): boolean {
  return interval.users.some((label) => sameIdentity(label, user));
}

/** A group grant selected for a user it does not name says so: membership is for the auditor to check. */
function withGroupNote(interval: AccessInterval, user: string | undefined): AccessInterval {
  if (user === undefined || namesUser(interval, user)) return interval;
  const groups = `group${interval.groups.length === 1 ? "" : "s"} ${interval.groups.join(", ")}`;
  const note =
    `granted to ${groups}, not to ${user} by name: grantops cannot see directory membership; ` +
    `check whether ${user} was a member`;
  return { ...interval, notes: [...interval.notes, note] };
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * Case-insensitive match on the label, or on the part in its last parentheses on either side: the UPN of a user
 * ("Alice (alice@example.com)"), the short name of a group ("Database Admins (example.net\dba)").
 */
function sameIdentity(label: string, wanted: string): boolean {
  if (same(label, wanted)) return true;
  const inner = (text: string): string | undefined => /\(([^()]+)\)\s*$/.exec(text)?.[1];
  const labelInner = inner(label);
  const wantedInner = inner(wanted);
  return (
    (labelInner !== undefined && same(labelInner, wanted)) ||
    (wantedInner !== undefined && same(label, wantedInner))
  );
}
