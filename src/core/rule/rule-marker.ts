// The marker in a managed rule's description: everything needed to recognise, verify and expire the rule
// without the repository at hand. `grantops/v1 exp=<Instant> sha=<12 hex> grant=<id> pr=<n or ->`.
import { normalizeInstant } from "../time/instant.js";
import type { Instant } from "../model/types.js";

export const MARKER_PREFIX = "grantops/v1";
export const MAX_DESCRIPTION_LENGTH = 256;
/** Longest grant id written in a marker; longer ids are cut to 159 characters plus "~". */
export const MAX_MARKER_GRANT_LENGTH = 160;
const TRUNCATION_MARK = "~";

export interface Marker {
  exp: Instant;
  /** First 12 hex digits of the desired rule's sha256 (see rule-hash.ts). */
  sha: string;
  /** The grant id as written in the marker: see markerGrantId. */
  grant: string;
  pr: number | null;
  /** True when the grant id was cut to fit (it ends with "~"). */
  truncated: boolean;
}

/**
 * The grant id as a marker records it: characters that are not printable ASCII (and "~") become "_" (an empty id is "_"), and ids
 * longer than 160 characters are cut to 159 plus "~". The rule's name and hash are derived from this form,
 * so a rule with a truncated id still verifies from its marker alone. (Grant ids are at most 100 characters
 * of [a-z0-9._/-], so in practice this is the id itself.)
 */
export function markerGrantId(grantId: string): string {
  const clean = grantId === "" ? "_" : grantId.replace(/[^\x21-\x7d]/g, "_");
  if (clean.length <= MAX_MARKER_GRANT_LENGTH) return clean;
  return clean.slice(0, MAX_MARKER_GRANT_LENGTH - 1) + TRUNCATION_MARK;
}

/** Formats the marker; `grant` is the grant id (passed through markerGrantId). At most 240 characters. */
export function formatMarker(fields: {
  exp: Instant;
  sha: string;
  grant: string;
  pr: number | null;
}): string {
  const pr = fields.pr === null ? "-" : String(fields.pr);
  // Joined, not concatenated: V8 keeps a concatenation as a tree of its pieces (kept per rule of a large plan).
  const grant = markerGrantId(fields.grant);
  return [MARKER_PREFIX, " exp=", fields.exp, " sha=", fields.sha, " grant=", grant, " pr=", pr].join("");
}

const MARKER_PATTERN = /^grantops\/v1 exp=(\S+) sha=([0-9a-f]{12}) grant=(\S+) pr=(-|0|[1-9][0-9]{0,15})$/;

/** Parses a description that is exactly a marker; null for anything else (extra text included). */
export function parseMarker(description: string | undefined): Marker | null {
  if (description === undefined || description.length > MAX_DESCRIPTION_LENGTH) return null;
  const match = MARKER_PATTERN.exec(description);
  if (match === null) return null;
  const [, expText = "", sha = "", grant = "", prText = "-"] = match;
  const exp = normalizeInstant(expText);
  if (exp === null || grant.length > MAX_MARKER_GRANT_LENGTH) return null;
  const pr = prText === "-" ? null : Number(prText);
  if (pr !== null && !Number.isSafeInteger(pr)) return null;
  return { exp, sha, grant, pr, truncated: grant.endsWith(TRUNCATION_MARK) };
}
