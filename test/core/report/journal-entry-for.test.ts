import { describe, expect, it } from "vitest";
import type { DeleteStep, Plan } from "../../../src/core/model/types.js";
import { journalEntryFor } from "../../../src/core/report/journal-entry-for.js";

const plan = {
  organization: "acme",
  commit: "d".repeat(40),
} as Plan;

function expiredDelete(expiresAt: string | null): DeleteStep {
  return {
    kind: "delete",
    ruleId: 7,
    ruleName: "grantops-x",
    grantId: "team/x",
    reason: "expired",
    expiresAt,
  };
}

describe("journalEntryFor", () => {
  it("stamps the entry with the given time, to the second, and measures the expiry lag from it", () => {
    const now = new Date("2030-01-01T00:00:03.250Z");
    const entry = journalEntryFor(
      plan,
      { step: expiredDelete("2030-01-01T01:00:00+01:00"), outcome: "ok" },
      now,
    );
    expect(entry).toEqual({
      time: "2030-01-01T00:00:03Z",
      organization: "acme",
      commit: "d".repeat(40),
      outcome: "ok",
      grantId: "team/x",
      version: null,
      ruleId: 7,
      ruleName: "grantops-x",
      action: "delete",
      reason: "expired",
      expiresAt: "2030-01-01T01:00:00+01:00",
      lagSeconds: 3.25,
    });
  });

  it("has no lag for a failed delete or an unreadable expiry", () => {
    const now = new Date("2030-01-01T00:00:03Z");
    const error = { code: "VENDOR_HTTP_500", message: "boom" };
    const failed = journalEntryFor(
      plan,
      { step: expiredDelete("2030-01-01T00:00:00Z"), outcome: "failed", error },
      now,
    );
    expect(failed).toMatchObject({ outcome: "failed", lagSeconds: null, error });
    const unreadable = journalEntryFor(plan, { step: expiredDelete("soon"), outcome: "ok" }, now);
    expect(unreadable.lagSeconds).toBeNull();
  });
});
