// Text from grant files and the vendor, made inert for terminals and plain-text surfaces (check-run annotations):
// control characters (C0, C1, DEL: ANSI escapes start with ESC), invisible format characters (zero-width, bidi
// overrides and isolates U+202A–U+202E, U+2066–U+2069, BOM, soft hyphen), line and paragraph separators and lone
// surrogates are shown escaped (`\u202e`, `\n`), so nothing can recolour, hide or reorder what a reader sees.

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const SHORT: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** `text` with every control or invisible character replaced by a visible escape. */
export function inertTerminal(text: string): string {
  return text.replace(INVISIBLE, escapeCharacter);
}

/** True when `text` holds a character inertTerminal would escape. */
export function hasInvisible(text: string): boolean {
  return new RegExp(INVISIBLE.source, "u").test(text);
}

/** `\n`, `\u202e` or `\u{e0001}`. */
export function escapeCharacter(character: string): string {
  const short = SHORT[character];
  if (short !== undefined) return short;
  const code = character.codePointAt(0) ?? 0;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
}
