// How long a held rule may stay: git is the authority, the marker only a hint. Pure.
import { parseInstant, toInstant } from "../time/instant.js";
import type { Marker } from "../rule/rule-marker.js";
import type { DeleteReason, GrantHistory, Instant } from "../model/types.js";

export type HoldDecision =
  | { kind: "hold"; until: Instant }
  | {
      kind: "delete";
      reason: Extract<DeleteReason, "expired" | "removed" | "unexplained">;
      expiresAt: Instant;
    };

/**
 * A held rule (its file is broken now, or its new version awaits approval) stays until the expiry of the last
 * valid, approved version git shows, and never longer than its marker says. Its marker must name one of those
 * versions (sha; or, for a version whose ids can no longer be resolved, the same expiry): otherwise it is
 * unexplained. A version the policy now forbids is removed now. Without history (none was read), the marker's
 * expiry stands.
 */
export function holdDecision(marker: Marker, history: GrantHistory | undefined, nowMs: number): HoldDecision {
  if (history === undefined) return { kind: "hold", until: marker.exp };
  const version =
    history.versions.find((v) => v.sha === marker.sha) ??
    history.versions.find((v) => v.sha === null && v.exp === marker.exp);
  if (version === undefined) return { kind: "delete", reason: "unexplained", expiresAt: marker.exp };
  if (version.refusedNow !== null) return { kind: "delete", reason: "removed", expiresAt: marker.exp };
  const lastExp = parseInstant(history.versions[0]?.exp ?? marker.exp) ?? 0;
  const until = Math.min(parseInstant(marker.exp) ?? 0, lastExp);
  if (until <= nowMs) return { kind: "delete", reason: "expired", expiresAt: toInstant(until) };
  return { kind: "hold", until: toInstant(until) };
}
