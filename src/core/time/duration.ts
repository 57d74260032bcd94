// Duration syntax shared by grant files, policy.yaml and every flag: 90s, 30m, 4h, 2d, compounds of those in the
// order d h m s (1h30m, 2d12h), or ISO-8601 like PT4H, P1DT2H.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Longest duration grantops accepts anywhere (about ten years); longer values are invalid. */
export const MAX_DURATION_MS = 3650 * DAY;

const SHORT =
  /^(?!$)(?:([1-9][0-9]{0,5})d)?(?:([1-9][0-9]{0,5})h)?(?:([1-9][0-9]{0,5})m)?(?:([1-9][0-9]{0,5})s)?$/;
const ISO = /^P(?:([0-9]+)D)?(?:T(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+)S)?)?$/;

/** Parses a duration into milliseconds; null when the text is not a valid, positive duration of at most ten years. */
export function parseDuration(text: string): number | null {
  const ms = parseShort(text) ?? parseIso(text);
  return ms !== null && ms > 0 && ms <= MAX_DURATION_MS ? ms : null;
}

function parseShort(text: string): number | null {
  const match = SHORT.exec(text);
  if (!match) return null;
  const [, d, h, m, s] = match;
  return part(d, DAY) + part(h, HOUR) + part(m, MINUTE) + part(s, SECOND);
}

function parseIso(text: string): number | null {
  const match = ISO.exec(text);
  if (!match || text === "P" || text.endsWith("T")) return null;
  const [, d, h, m, s] = match;
  return part(d, DAY) + part(h, HOUR) + part(m, MINUTE) + part(s, SECOND);
}

function part(digits: string | undefined, unit: number): number {
  return digits === undefined ? 0 : Number(digits) * unit;
}

/** Formats milliseconds as the shortest exact form among 2d, 4h, 30m, 90s (falls back to ISO-8601 for mixed values). */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ["d", DAY],
    ["h", HOUR],
    ["m", MINUTE],
    ["s", SECOND],
  ] as const) {
    if (ms % size === 0 && ms / size <= 999_999) return `${ms / size}${unit}`;
  }
  return `PT${Math.round(ms / SECOND)}S`;
}
