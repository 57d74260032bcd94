import { compareText } from "../model/compare-text.js";
import { grantWindow } from "../time/grant-window.js";
import { parseInstant, toInstant } from "../time/instant.js";
import type { Grant, Instant } from "../model/types.js";

export interface ExpiredGrant {
  id: string;
  file: string;
  expiresAt: Instant;
  /** Where `grantops tidy` moves it: the same path under grants/expired/. */
  target: string;
}

/**
 * The grants whose time has passed at `now`. A grant that never landed (no entry in `landedAt`: a new,
 * uncommitted file) counts from `now`, so it is never expired by a duration alone.
 */
export function expiredGrants(
  grants: readonly Grant[],
  landedAt: ReadonlyMap<string, Instant>,
  now: Date,
): ExpiredGrant[] {
  const nowMs = now.getTime();
  const nowInstant = toInstant(now);
  return grants
    .map((grant) => ({ grant, window: grantWindow(grant, landedAt.get(grant.file) ?? nowInstant) }))
    .filter(({ window }) => (parseInstant(window.expiresAt) ?? Infinity) <= nowMs)
    .map(({ grant, window }) => ({
      id: grant.id,
      file: grant.file,
      expiresAt: window.expiresAt,
      target: grant.file.replace(/^grants\//, "grants/expired/"),
    }))
    .sort((a, b) => compareText(a.file, b.file));
}
