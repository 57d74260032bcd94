import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cutMarkdown } from "../../src/github/truncate-markdown.js";

/** CommonMark: any fence line opens; only a bare fence of at least the same length closes. */
function leavesFenceOpen(text: string): boolean {
  let open: string | null = null;
  for (const line of text.split("\n")) {
    const match = /^ {0,3}(`{3,})(.*)$/.exec(line);
    if (!match?.[1]) continue;
    if (open === null) open = match[1];
    else if (match[1].length >= open.length && match[2]?.trim() === "") open = null;
  }
  return open !== null;
}

describe("cutMarkdown", () => {
  it("returns text that fits unchanged", () => {
    expect(cutMarkdown("short", 10, "…")).toEqual({ head: "short", rest: "" });
  });

  it("cuts at a line boundary, closes an open fence and reopens it in the rest", () => {
    const text = [
      "intro",
      "```diff",
      ...Array.from({ length: 5 }, () => "+ aaaaaaaaaa"),
      "```",
      "outro",
    ].join("\n");
    const { head, rest } = cutMarkdown(text, 60, "[cut]");
    expect(head).toBe("intro\n```diff\n+ aaaaaaaaaa\n```\n\n[cut]");
    expect(rest).toBe(
      ["```diff", ...Array.from({ length: 4 }, () => "+ aaaaaaaaaa"), "```", "outro"].join("\n"),
    );
  });

  it("never exceeds the limit, keeps a prefix, and leaves fences balanced (property)", () => {
    const line = fc.oneof(
      fc.constant("```"),
      fc.constant("```yaml"),
      fc.string({ maxLength: 40 }).map((s) => s.replace(/\n/g, "")),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), fc.integer({ min: 40, max: 400 }), (lines, max) => {
        const text = lines.join("\n");
        const { head, rest } = cutMarkdown(text, max, "… truncated");
        expect(head.length).toBeLessThanOrEqual(max);
        if (text.length <= max) {
          expect(head).toBe(text);
        } else {
          expect(head.endsWith("\n\n… truncated")).toBe(true);
          const kept = head.slice(0, head.length - "\n\n… truncated".length);
          expect(leavesFenceOpen(kept)).toBe(false);
          const closed = text.startsWith(kept) ? kept : kept.slice(0, kept.lastIndexOf("\n"));
          expect(text.startsWith(closed)).toBe(true);
          expect(rest.length).toBeGreaterThan(0);
        }
      }),
    );
  });
});
