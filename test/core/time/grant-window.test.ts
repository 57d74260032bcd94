import { describe, expect, it } from "vitest";
import { grantWindow } from "../../../src/core/time/grant-window.js";
import { toInstant } from "../../../src/core/time/instant.js";
import type { Grant } from "../../../src/core/model/types.js";

const base: Grant = {
  id: "t/a",
  file: "grants/t/a.yaml",
  users: ["alice@example.com"],
  groups: [],
  resources: ["Jira"],
  organization: "acme",
  reason: "a good enough reason",
  durationMs: null,
  expiresAt: null,
  startsAt: null,
  ticket: null,
  breakGlass: false,
  positions: { users: [{ line: 2, column: 8 }], groups: [], resources: [{ line: 3, column: 13 }] },
};
const landed = "2026-11-25T10:00:00Z";

describe("grantWindow", () => {
  it.each<[string, Partial<Grant>, { startsAt: string | null; expiresAt: string }]>([
    [
      "duration from landing",
      { durationMs: 4 * 3600_000 },
      { startsAt: null, expiresAt: "2026-11-25T14:00:00Z" },
    ],
    [
      "duration from startsAt",
      { durationMs: 3600_000, startsAt: "2026-11-26T09:00:00Z" },
      { startsAt: "2026-11-26T09:00:00Z", expiresAt: "2026-11-26T10:00:00Z" },
    ],
    [
      "absolute expiry",
      { expiresAt: "2026-11-26T18:00:00Z" },
      { startsAt: null, expiresAt: "2026-11-26T18:00:00Z" },
    ],
    [
      "absolute expiry with a start",
      { expiresAt: "2026-11-26T18:00:00Z", startsAt: "2026-11-26T09:00:00Z" },
      { startsAt: "2026-11-26T09:00:00Z", expiresAt: "2026-11-26T18:00:00Z" },
    ],
    ["90 seconds", { durationMs: 90_000 }, { startsAt: null, expiresAt: "2026-11-25T10:01:30Z" }],
  ])("%s", (_title, patch, expected) => {
    expect(grantWindow({ ...base, ...patch }, landed)).toEqual(expected);
  });

  it("truncates instants to whole seconds in UTC", () => {
    expect(toInstant(Date.parse("2026-11-25T10:00:00.999+02:00"))).toBe("2026-11-25T08:00:00Z");
  });
});
