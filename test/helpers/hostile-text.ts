// Hostile strings for fuzzing what grant files and the vendor can put in front of a reader, and the checks that
// rendered Markdown or terminal text stayed inert.
import fc from "fast-check";

/** Fragments an attacker would try: HTML, comments, links, images, mentions, bidi, ANSI, table and code breakers. */
export const HOSTILE_FRAGMENTS = [
  "<!--",
  "-->",
  "<img src=x onerror=1>",
  "<script>",
  "<details>",
  "](https://evil.example)",
  "[click](https://evil.example)",
  "![x](https://evil.example/p.png)",
  "![",
  "<https://evil.example>",
  "https://evil.example",
  "www.evil.example",
  "@team",
  "@acme/security",
  " @x",
  "\u202e",
  "\u2066",
  "\u200b",
  "\ufeff",
  "\x1b[31m",
  "\x1b]8;;https://evil.example\x07",
  "\x9b",
  "|",
  "`",
  "```",
  "\\",
  "\n",
  "\r\n",
  "\n# ",
  "\n---\n",
  "&lt;",
  "&#60;",
  "*",
  "_",
  "~~",
  "1. ",
  "- ",
  "> ",
  "#",
];

/** Any string: full unicode (lone surrogates included) mixed with the hostile fragments. */
export function hostileString(): fc.Arbitrary<string> {
  const piece = fc.oneof(
    fc.constantFrom(...HOSTILE_FRAGMENTS),
    fc.string({ unit: "grapheme", maxLength: 6 }),
    fc.string({ unit: "binary", maxLength: 6 }),
  );
  return fc.array(piece, { maxLength: 6 }).map((parts) => parts.join(""));
}

const OWN_TAGS = [
  /<!-- grantops:[a-z:]+(?: [A-Za-z0-9_=-]+)? -->/g,
  /<!-- grantops:notice:[A-Za-z0-9._:/@-]+ -->/g,
  /<!-- grantops:reviewers-requested \[[^\]<>]*\] -->/g,
  /<\/?details>/g,
  /<\/?summary>/g,
];

/** Why `markdown` is not inert (raw HTML, link or image syntax, a live mention, a bidi or control char), or null. */
export function markdownHazard(markdown: string): string | null {
  const text = OWN_TAGS.reduce((rest, tag) => rest.replace(tag, ""), markdown);
  // Escaped characters and code spans are literal text: what is left is what GitHub would interpret.
  const unescaped = text.replace(/\\[\s\S]/g, "").replace(/`[^`\n]*`/g, "");
  if (/\]\(|!\[/.test(unescaped)) return `link or image syntax in ${JSON.stringify(unescaped)}`;
  const checks: Array<[string, RegExp]> = [
    ["raw <", /</],
    ["bare URL", /[a-z]+:\/\/|www\./i],
    ["live mention", /(?:^|[^A-Za-z0-9_`])@[A-Za-z0-9]/m],
    [
      "bidi or zero-width character (other than ours after @ and in URLs)",
      /[\u202a-\u202e\u2066-\u2069\u200c-\u200f\ufeff]/,
    ],
    ["control character", /(?!\n)\p{Cc}/u],
  ];
  for (const [name, pattern] of checks)
    if (pattern.test(unescaped)) return `${name}: ${JSON.stringify(unescaped.match(pattern)?.[0])}`;
  return null;
}

/** True when terminal text holds no control (but newlines), bidi or zero-width character. */
export function terminalInert(text: string): boolean {
  return !/(?!\n)\p{Cc}|[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u.test(text);
}
