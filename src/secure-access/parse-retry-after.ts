/**
 * Parses a Retry-After header: delta seconds ("3", "1.5") or an HTTP-date. Returns the wait in ms (≥ 0),
 * or null when absent or unparseable. `nowMs` is the clock used for HTTP-dates.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === "") return null;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}
