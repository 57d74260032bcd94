import { describe, expect, it } from "vitest";
import type { JournalEntry } from "../../src/core/model/journal-entry.js";
import type { GrantVersion } from "../../src/core/model/types.js";
import { statusEntriesByPullRequest } from "../../src/pull-request/report-run-to-pull-requests.js";

const base = {
  organization: "acme",
  commit: "c",
  version: null,
  ruleName: "r",
  expiresAt: "2026-11-26T12:00:00Z",
};
const entry = (e: Partial<JournalEntry>): JournalEntry =>
  ({
    ...base,
    time: "2026-11-26T10:00:05Z",
    outcome: "ok",
    lagSeconds: null,
    reason: null,
    ...e,
  }) as JournalEntry;

describe("statusEntriesByPullRequest", () => {
  const versions = new Map([["t/a", { landedAt: "2026-11-26T10:00:00Z" } as GrantVersion]]);
  const prOfRule = (ruleId: number) => (ruleId === 9 ? 31 : null);
  it.each([
    [
      "a create with a PR is granted, lag from landing",
      entry({ action: "create", grantId: "t/a", ruleId: 1, pr: 12 }),
      12,
      { status: "granted", ruleId: 1, lagSeconds: 5 },
    ],
    [
      "an expired delete reports its lag",
      entry({ action: "delete", grantId: "t/b", ruleId: 9, reason: "expired", lagSeconds: 0.4 }),
      31,
      { status: "expired", lagSeconds: 0.4 },
    ],
    [
      "a removed grant is revoked",
      entry({ action: "delete", grantId: "t/b", ruleId: 9, reason: "removed" }),
      31,
      { status: "revoked" },
    ],
  ])("%s", (_name, journal, pr, expected) => {
    const byPull = statusEntriesByPullRequest({ entries: [journal], versions, prOfRule });
    expect([...byPull.keys()]).toEqual([pr]);
    expect(byPull.get(pr)?.[0]).toMatchObject(expected);
  });

  it.each([
    ["failed steps", entry({ action: "create", grantId: "t/a", ruleId: 1, pr: 12, outcome: "failed" })],
    ["creates without a PR", entry({ action: "create", grantId: "t/a", ruleId: 1, pr: null })],
    [
      "deletes of rules without a PR in the marker",
      entry({ action: "delete", grantId: "t/b", ruleId: 8, reason: "removed" }),
    ],
    ["tampered deletes", entry({ action: "delete", grantId: "t/b", ruleId: 9, reason: "tampered" })],
  ])("skips %s", (_name, journal) => {
    expect(statusEntriesByPullRequest({ entries: [journal], versions, prOfRule }).size).toBe(0);
  });
});
