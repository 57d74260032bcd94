// Adds what git knows about each interval's grant version: the request's reason and ticket, who wrote it and
// who merged it. The journal's own fields are never overwritten.
import type { AccessInterval, VersionFacts } from "./audit-types.js";

/** The key of a grant version in a facts map: its landing commit and grant id. */
export function versionKey(commit: string, grantId: string): string {
  return `${commit}\0${grantId}`;
}

export function enrichIntervals(
  intervals: readonly AccessInterval[],
  facts: ReadonlyMap<string, VersionFacts>,
): AccessInterval[] {
  return intervals.map((interval) => {
    if (interval.version === null || interval.grantId === null) return interval;
    const found = facts.get(versionKey(interval.version, interval.grantId));
    if (found === undefined) return interval;
    return {
      ...interval,
      reason: interval.reason ?? found.reason,
      ticket: interval.ticket ?? found.ticket,
      requester: interval.requester ?? found.requester,
      mergedBy: interval.mergedBy ?? found.mergedBy,
    };
  });
}
