import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { normalizeInstant, parseInstant, toInstant } from "../../../src/core/time/instant.js";

describe("toInstant", () => {
  it.each([
    [new Date("2026-11-26T18:00:00.999Z"), "2026-11-26T18:00:00Z"],
    [Date.UTC(2026, 10, 26, 18, 0, 1, 1), "2026-11-26T18:00:01Z"],
    [0, "1970-01-01T00:00:00Z"],
  ])("formats %s as %s, rounding down to the second", (input, expected) => {
    expect(toInstant(input)).toBe(expected);
  });
});

describe("parseInstant", () => {
  const base = Date.UTC(2024, 2, 28, 18, 17, 36);
  it.each<[string, number | null]>([
    ["2024-03-28T18:17:36Z", base],
    ["2024-03-28T18:17:36", base],
    ["2024-03-28 18:17:36", base],
    ["2024-03-28T18:17:36.222Z", base + 222],
    ["2024-03-28T18:17:36+00:00", base],
    ["2024-03-28T20:17:36+02:00", base],
    ["2024-03-28T13:17:36-0500", base],
    ["2024-03-28t18:17:36z", base],
    ["2024-03-28T18:17Z", base - 36_000],
    ["2024-03-28", Date.UTC(2024, 2, 28)],
    ["2024-02-30T00:00:00Z", null],
    ["2024-13-01T00:00:00Z", null],
    ["2024-03-28T24:00:00Z", null],
    ["yesterday", null],
    ["", null],
  ])("%s", (text, expected) => {
    expect(parseInstant(text)).toBe(expected);
  });

  it("round-trips every instant toInstant produces", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
        const instant = toInstant(ms);
        expect(parseInstant(instant)).toBe(Math.floor(ms / 1000) * 1000);
        expect(normalizeInstant(instant)).toBe(instant);
      }),
    );
  });

  it("normalizes lenient forms to an Instant", () => {
    expect(normalizeInstant("2024-03-28 18:17:36.9")).toBe("2024-03-28T18:17:36Z");
    expect(normalizeInstant("nope")).toBeNull();
  });
});
