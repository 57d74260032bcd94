/** GitHub's limit for an issue comment body and a check run summary/text (characters). */
export const GITHUB_TEXT_LIMIT = 65_535;

export interface MarkdownCut {
  /** The kept part, with an open code fence closed and `pointer` appended; at most `max` characters. */
  head: string;
  /** The cut-off part, reopening the fence that was closed; "" when nothing was cut. */
  rest: string;
}

/**
 * Cuts Markdown to at most `max` characters at a line boundary (never inside a surrogate pair), closing a code fence
 * left open, and appends `pointer` on its own line. Text that fits is returned unchanged.
 */
export function cutMarkdown(text: string, max: number, pointer: string): MarkdownCut {
  if (text.length <= max) return { head: text, rest: "" };
  const tail = `\n\n${pointer}`;
  const budget = Math.max(0, max - tail.length - FENCE_RESERVE);
  let end = text.lastIndexOf("\n", budget);
  if (end <= 0) end = safeEnd(text, budget);
  const kept = text.slice(0, end);
  const fence = openFence(kept);
  const head = `${kept}${fence === null ? "" : `\n${fence.marker}`}${tail}`;
  const restBody = text.slice(end).replace(/^\n/, "");
  return { head: head.slice(0, max), rest: fence === null ? restBody : `${fence.line}\n${restBody}` };
}

/** Shorthand: the head of cutMarkdown. */
export function truncateMarkdown(text: string, max: number, pointer: string): string {
  return cutMarkdown(text, max, pointer).head;
}

/** Characters kept free for closing a code fence. */
const FENCE_RESERVE = 16;

/** The code fence that `text` leaves open (its opening line and marker), or null. */
function openFence(text: string): { line: string; marker: string } | null {
  let open: { line: string; marker: string } | null = null;
  for (const line of text.split("\n")) {
    const match = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    const marker = match?.[1];
    if (marker === undefined) continue;
    if (open === null) open = { line: line.trim(), marker: marker.slice(0, FENCE_RESERVE - 1) };
    else if (marker[0] === open.marker[0] && marker.length >= open.marker.length && match?.[2]?.trim() === "")
      open = null;
  }
  return open;
}

function safeEnd(text: string, end: number): number {
  const code = text.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
}
