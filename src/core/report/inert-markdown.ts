// Text from grant files and the vendor (reason, ticket, ids, user and resource labels, rule names, messages), made
// inert for GitHub Markdown (PR comments, check-run summaries): it renders as the same visible text and nothing else.
// - controls, ANSI escapes, zero-width and bidi characters: shown escaped (see inert-terminal.ts);
// - `& < >` become entities: no HTML, no `<!--` hiding the rest of the comment, no `<img>`, no `<http://…>` autolink;
// - Markdown punctuation is backslash-escaped (escaping `[ ]` stops links `[x](y)` and images `![x](y)`): no link,
//   image, emphasis, code span breakout, table cell break `|`, strikethrough or heading, and no list marker at the start;
// - mentions: GitHub notifies for `@name` after a non-word character; a zero-width space after the `@` keeps the
//   text readable and notifies no one (what GitHub's own Dependabot does for release notes);
// - bare URLs: a zero-width space inside `://` and after `www` stops GitHub's autolinking.
// E-mail addresses may still render as mailto links: they show their own target.
import { inertTerminal } from "./inert-terminal.js";

const ZERO_WIDTH_SPACE = "\u200b";

/** `text` as inert inline Markdown (safe in a table cell, a list item or a paragraph). */
export function inertMarkdown(text: string): string {
  return inertTerminal(text)
    .replace(/ {2,}/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_[\]|~]/g, "\\$&")
    .replace(/^(\s?)([-+=#])/, "$1\\$2")
    .replace(/^(\s?\d+)([.)])/, "$1\\$2")
    .replace(/(^|[^A-Za-z0-9])@(?=[A-Za-z0-9])/g, `$1@${ZERO_WIDTH_SPACE}`)
    .replace(/:\/\//g, `:${ZERO_WIDTH_SPACE}//`)
    .replace(/(www)\./gi, `$1${ZERO_WIDTH_SPACE}.`);
}

const PLAIN_CODE = /^[A-Za-z0-9._/:+-]+$/;

/** An identifier as a code span when it is plain (`payments/alice-jira`), else as inert text. */
export function inertCode(text: string): string {
  return PLAIN_CODE.test(text) ? `\`${text}\`` : inertMarkdown(text);
}
