// Close matches of a mistyped name ("Wikki" → "Wiki"), for the messages of `grantops request` (a name unknown in
// Secure Access). Case-insensitive edit distance (insertions, deletions, substitutions and transpositions of
// adjacent characters each count 1); see the README, "Requesting access".
import { compareText } from "../model/compare-text.js";

/** Most suggestions given for one name. */
export const MAX_CLOSE_MATCHES = 3;

/**
 * The candidates close to `name`, closest first (ties in text order), each once, at most `max`. A candidate is
 * close when its distance to `name` (both lower-cased) is at most a third of the longer one's length (and at
 * least 1: one typo in a short name, a few in a long e-mail address), and at most one more than the closest
 * candidate's (names sharing a long e-mail domain are not all suggested). A candidate equal to `name` is left
 * out; one that differs only in case is the closest.
 */
export function closeMatches(
  name: string,
  candidates: Iterable<string>,
  max: number = MAX_CLOSE_MATCHES,
): string[] {
  const wanted = name.trim().toLowerCase();
  if (wanted === "") return [];
  const scored = new Map<string, number>();
  for (const candidate of candidates) {
    if (candidate === name || scored.has(candidate)) continue;
    const lower = candidate.toLowerCase();
    const limit = Math.max(1, Math.floor(Math.max(wanted.length, lower.length) / 3));
    const distance = editDistance(wanted, lower, limit);
    if (distance <= limit) scored.set(candidate, distance);
  }
  const best = Math.min(...scored.values());
  return [...scored]
    .filter(([, distance]) => distance <= best + 1)
    .sort(([a, da], [b, db]) => da - db || compareText(a, b))
    .slice(0, Math.max(0, max))
    .map(([candidate]) => candidate);
}

/**
 * The optimal string alignment distance of `a` and `b` (Levenshtein plus adjacent transpositions), or a number
 * above `limit` as soon as it must exceed it.
 */
export function editDistance(a: string, b: string, limit: number = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, before[j - 2]! + 1);
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}
