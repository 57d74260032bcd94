import { describe, expect, it } from "vitest";
import { holdDecision } from "../../../src/core/plan/history-hold.js";
import type { Marker } from "../../../src/core/rule/rule-marker.js";
import type { GrantHistory } from "../../../src/core/model/types.js";

const now = Date.parse("2026-03-02T10:00:00Z");
const marker = (exp: string, sha = "aaaaaaaaaaaa"): Marker => ({
  exp,
  sha,
  grant: "g",
  pr: null,
  truncated: false,
});
const history = (...versions: GrantHistory["versions"]): GrantHistory => ({
  grant: "g",
  known: true,
  versions,
});
const version = (sha: string | null, exp: string, refusedNow: string | null = null) => ({
  commit: "c".repeat(40),
  sha,
  exp,
  refusedNow,
});

describe("holdDecision: git is the authority, the marker only a hint", () => {
  it("without history the marker's expiry stands", () => {
    expect(holdDecision(marker("2036-01-01T00:00:00Z"), undefined, now)).toEqual({
      kind: "hold",
      until: "2036-01-01T00:00:00Z",
    });
  });

  it("a marker naming a version git never had is unexplained", () => {
    const h = history(version("bbbbbbbbbbbb", "2026-03-02T13:00:00Z"));
    expect(holdDecision(marker("2036-01-01T00:00:00Z"), h, now)).toMatchObject({
      kind: "delete",
      reason: "unexplained",
    });
  });

  it("a version git shows is held until the last valid version's expiry, never longer than the marker", () => {
    const h = history(
      version("cccccccccccc", "2026-03-02T12:00:00Z"),
      version("aaaaaaaaaaaa", "2026-03-02T13:00:00Z"),
    );
    expect(holdDecision(marker("2026-03-02T13:00:00Z"), h, now)).toEqual({
      kind: "hold",
      until: "2026-03-02T12:00:00Z",
    });
    const longer = history(version("aaaaaaaaaaaa", "2026-03-02T13:00:00Z"));
    expect(holdDecision(marker("2026-03-02T13:00:00Z"), longer, now)).toEqual({
      kind: "hold",
      until: "2026-03-02T13:00:00Z",
    });
  });

  it("expires when the last valid version's expiry passed, even if the marker says later", () => {
    const h = history(
      version("cccccccccccc", "2026-03-02T09:00:00Z"),
      version("aaaaaaaaaaaa", "2026-03-02T13:00:00Z"),
    );
    expect(holdDecision(marker("2026-03-02T13:00:00Z"), h, now)).toEqual({
      kind: "delete",
      reason: "expired",
      expiresAt: "2026-03-02T09:00:00Z",
    });
  });

  it("a version the policy forbids now is removed now", () => {
    const h = history(version("aaaaaaaaaaaa", "2026-03-02T13:00:00Z", "resource payroll-db is denied"));
    expect(holdDecision(marker("2026-03-02T13:00:00Z"), h, now)).toMatchObject({
      kind: "delete",
      reason: "removed",
    });
  });

  it("a version whose ids no longer resolve matches on its exact expiry only", () => {
    const h = history(version(null, "2026-03-02T13:00:00Z"));
    expect(holdDecision(marker("2026-03-02T13:00:00Z"), h, now).kind).toBe("hold");
    expect(holdDecision(marker("2036-01-01T00:00:00Z"), h, now)).toMatchObject({ reason: "unexplained" });
  });
});
