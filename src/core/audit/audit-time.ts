// The times `audit --since/--until` accept: RFC 3339 instants, or a duration meaning "that long ago" (7d, 12h, PT30M).
import { parseDuration } from "../time/duration.js";
import { parseInstant } from "../time/instant.js";

/** Epoch milliseconds for an audit time argument, or null when it is neither an instant nor a duration. */
export function parseAuditTime(text: string, now: Date): number | null {
  const trimmed = text.trim();
  const ago = parseDuration(trimmed);
  if (ago !== null) return now.getTime() - ago;
  return /^\d{4}-\d{2}-\d{2}/.test(trimmed) ? parseInstant(trimmed) : null;
}
