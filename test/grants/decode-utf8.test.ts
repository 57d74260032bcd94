import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeUtf8 } from "../../src/grants/parse-yaml-file.js";

/** What a fatal TextDecoder (the definition: WHATWG UTF-8, a leading BOM dropped) gives; null when it throws. */
function reference(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

const encoder = new TextEncoder();
/** Arbitrary bytes, valid UTF-8 text, and text with a stray byte: surrogates, overlongs, truncated sequences. */
const inputs = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.string({ unit: "binary", maxLength: 40 }).map((text) => encoder.encode(text)),
  fc
    .tuple(fc.string({ unit: "grapheme", maxLength: 20 }), fc.integer({ min: 0x80, max: 0xff }), fc.boolean())
    .map(([text, stray, bom]) => {
      const body = encoder.encode(text);
      const at = Math.floor(body.length / 2);
      const bytes = [...(bom ? [0xef, 0xbb, 0xbf] : []), ...body.slice(0, at), stray, ...body.slice(at)];
      return Uint8Array.from(bytes);
    }),
  fc.constantFrom(
    Uint8Array.of(0xed, 0xa0, 0x80), // a UTF-16 surrogate
    Uint8Array.of(0xc0, 0xaf), // an overlong "/"
    Uint8Array.of(0xf4, 0x90, 0x80, 0x80), // past U+10FFFF
    Uint8Array.of(0xef, 0xbb, 0xbf, 0x61), // BOM + "a"
    Uint8Array.of(0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf), // two BOMs: only the first is dropped
  ),
);

describe("decodeUtf8", () => {
  it("accepts and decodes exactly what a fatal TextDecoder does", () => {
    fc.assert(
      fc.property(inputs, (bytes) => {
        const expected = reference(bytes);
        const actual = decodeUtf8(bytes);
        if (expected === null) expect(typeof actual).toBe("object");
        else expect(actual).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("decodes a view into a larger buffer (git's output) by its own bytes only", () => {
    const whole = encoder.encode("xxpolicy: éyy");
    expect(decodeUtf8(whole.subarray(2, whole.length - 2))).toBe("policy: é");
  });
});
