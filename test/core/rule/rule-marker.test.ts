import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  formatMarker,
  MAX_DESCRIPTION_LENGTH,
  markerGrantId,
  parseMarker,
} from "../../../src/core/rule/rule-marker.js";

const SHA = "3f9a1c0b2d4e";
const EXP = "2026-11-26T18:00:00Z";

describe("formatMarker / parseMarker", () => {
  it("formats the documented marker", () => {
    expect(formatMarker({ exp: EXP, sha: SHA, grant: "payments/alice-jira", pr: 42 })).toBe(
      "grantops/v1 exp=2026-11-26T18:00:00Z sha=3f9a1c0b2d4e grant=payments/alice-jira pr=42",
    );
    expect(formatMarker({ exp: EXP, sha: SHA, grant: "a", pr: null })).toMatch(/ pr=-$/);
  });

  it("round-trips", () => {
    const text = formatMarker({ exp: EXP, sha: SHA, grant: "payments/alice-jira", pr: 42 });
    expect(parseMarker(text)).toEqual({
      exp: EXP,
      sha: SHA,
      grant: "payments/alice-jira",
      pr: 42,
      truncated: false,
    });
  });

  it.each([
    [undefined],
    [""],
    ["JIT grant for alice"],
    ["grantops/v1 exp=2026-11-26T18:00:00Z sha=3f9a1c0b2d4e grant=a pr=1 and more"],
    ["grantops/v1 exp=tomorrow sha=3f9a1c0b2d4e grant=a pr=1"],
    ["grantops/v1 exp=2026-11-26T18:00:00Z sha=3F9A1C0B2D4E grant=a pr=1"],
    ["grantops/v1 exp=2026-11-26T18:00:00Z sha=3f9a1c grant=a pr=1"],
    ["grantops/v1 exp=2026-11-26T18:00:00Z sha=3f9a1c0b2d4e grant=a pr=01"],
    ["grantops/v1 exp=2026-11-26T18:00:00Z sha=3f9a1c0b2d4e pr=1"],
  ])("rejects %j", (text) => {
    expect(parseMarker(text)).toBeNull();
  });

  it("reads the short expiry form of the design and normalizes it", () => {
    expect(parseMarker(`grantops/v1 exp=2026-11-26T18:00Z sha=${SHA} grant=a pr=-`)?.exp).toBe(EXP);
  });

  it("truncates an over-long grant id, never the marker fields, and marks it", () => {
    const id = "a/" + "b".repeat(400);
    const text = formatMarker({ exp: EXP, sha: SHA, grant: id, pr: 9_007_199_254_740_991 });
    expect(text.length).toBeLessThanOrEqual(MAX_DESCRIPTION_LENGTH);
    const marker = parseMarker(text);
    expect(marker).toMatchObject({ exp: EXP, sha: SHA, pr: 9_007_199_254_740_991, truncated: true });
    expect(marker?.grant).toBe(markerGrantId(id));
    expect(marker?.grant.endsWith("~")).toBe(true);
  });

  it("always stays within 256 characters and parses back", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.option(fc.nat(), { nil: null }), (id, pr) => {
        const text = formatMarker({ exp: EXP, sha: SHA, grant: id, pr });
        expect(text.length).toBeLessThanOrEqual(MAX_DESCRIPTION_LENGTH);
        expect(parseMarker(text)).toMatchObject({ grant: markerGrantId(id), pr, sha: SHA, exp: EXP });
      }),
    );
  });
});
