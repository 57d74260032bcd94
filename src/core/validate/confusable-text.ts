// Identities that look like others: `аlice@example.com` (a Cyrillic а) or `al<U+200B>ice@example.com` read as
// alice@example.com to a reviewer but are different strings. Pure: Unicode property escapes, no tables of our own.
import { inertTerminal } from "../report/inert-terminal.js";

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u00a0\u115f\u1160\u2000-\u200a\u202f\u205f\u3000\u3164\uffa0]/u;

const SCRIPTS: ReadonlyArray<[string, RegExp]> = [
  ["Latin", /\p{Script=Latin}/u],
  ["Cyrillic", /\p{Script=Cyrillic}/u],
  ["Greek", /\p{Script=Greek}/u],
  ["Armenian", /\p{Script=Armenian}/u],
  ["Georgian", /\p{Script=Georgian}/u],
  ["Cherokee", /\p{Script=Cherokee}/u],
  ["Arabic", /\p{Script=Arabic}/u],
  ["Hebrew", /\p{Script=Hebrew}/u],
  ["Han", /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ["Hangul", /\p{Script=Hangul}/u],
];

/** Printable ASCII only: no invisible character, and every letter is Latin (the common case, checked first). */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** What makes `text` confusable (an invisible character, letters of several scripts), or null. */
export function confusableReason(text: string): string | null {
  if (PRINTABLE_ASCII.test(text)) return null;
  if (INVISIBLE.test(text)) return "has an invisible character";
  const scripts = new Set<string>();
  for (const character of text) {
    if (!/\p{L}/u.test(character)) continue;
    scripts.add(SCRIPTS.find(([, pattern]) => pattern.test(character))?.[0] ?? "another script");
  }
  return scripts.size > 1 ? `mixes ${[...scripts].sort().join(" and ")} letters` : null;
}

/** `"al\u200bice@example.com" has an invisible character` — the value shown escaped. */
export function describeConfusable(text: string, reason: string): string {
  return `"${inertTerminal(text).replace(/[^\x20-\x7e]/gu, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`)}" ${reason}`;
}
