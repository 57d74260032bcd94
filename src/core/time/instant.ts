// Instants: RFC 3339 UTC strings with second precision ("2026-11-26T18:00:00Z"), and a lenient parser for
// the timestamps the vendor and the files use (with or without offset, with fractions, space or "T").
import type { Instant } from "../model/types.js";

/** Formats a time as an Instant, rounding down to the second. */
export function toInstant(date: Date | number): Instant {
  const ms = typeof date === "number" ? date : date.getTime();
  const seconds = Math.floor(ms / 1000) * 1000;
  return remembered(formatted, seconds, () => new Date(seconds).toISOString().replace(/\.\d{3}Z$/, "Z"));
}

/**
 * Recent results of toInstant and parseInstant: a plan of 50,000 grants formats and parses the same few
 * instants (every grant of a commit lands at the same time) hundreds of thousands of times. Bounded.
 */
const formatted = new Map<number, Instant>();
const parsed = new Map<string, number | null>();
const REMEMBERED = 4096;

function remembered<K, V>(cache: Map<K, V>, key: K, compute: () => V): V {
  if (cache.has(key)) return cache.get(key) as V;
  if (cache.size >= REMEMBERED) cache.clear();
  const value = compute();
  cache.set(key, value);
  return value;
}

const PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Parses a timestamp leniently and returns epoch milliseconds, or null when it is not one.
 * A timestamp without an offset ("2024-03-28 18:17:36") is read as UTC; a date alone is midnight UTC.
 */
export function parseInstant(text: string): number | null {
  return remembered(parsed, text, () => parseUncached(text));
}

function parseUncached(text: string): number | null {
  const match = PATTERN.exec(text.trim());
  if (match === null) return null;
  const [, y, mo, d, h = "00", mi = "00", s = "00", frac = "", offset = "Z"] = match;
  const fields = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  const [year, month, day, hour, minute, second] = fields;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(utc).getUTCDate() !== day) return null;
  const millis = frac === "" ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  return utc + millis - offsetMinutes(offset) * 60_000;
}

function offsetMinutes(offset: string): number {
  if (offset === "Z" || offset === "z") return 0;
  const sign = offset.startsWith("-") ? -1 : 1;
  const digits = offset.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  return sign * (hours * 60 + minutes);
}

/** Normalises a timestamp to an Instant, or null when it does not parse. */
export function normalizeInstant(text: string): Instant | null {
  const ms = parseInstant(text);
  return ms === null ? null : toInstant(ms);
}
