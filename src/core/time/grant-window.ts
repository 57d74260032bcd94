import { toInstant } from "./instant.js";
import type { Grant, Instant } from "../model/types.js";

/**
 * When a grant is live. The expiry is `expiresAt`, else `duration` added to `startsAt` when given, else to
 * `landedAt` (the committer time of the commit that landed this version of the file on the default branch).
 */
export function grantWindow(
  grant: Grant,
  landedAt: Instant,
): { startsAt: Instant | null; expiresAt: Instant } {
  const startsAt = grant.startsAt === null ? null : toInstant(Date.parse(grant.startsAt));
  if (grant.expiresAt !== null) return { startsAt, expiresAt: toInstant(Date.parse(grant.expiresAt)) };
  const from = Date.parse(grant.startsAt ?? landedAt);
  return { startsAt, expiresAt: toInstant(from + (grant.durationMs ?? 0)) };
}
