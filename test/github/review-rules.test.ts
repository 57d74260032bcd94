import { describe, expect, it } from "vitest";
import { isGrantee } from "../../src/github/is-grantee.js";
import { latestReviews, type ReviewLike } from "../../src/github/list-latest-reviews.js";
import { parsePrincipal } from "../../src/github/principal-matcher.js";

const user = (login: string, type = "User") => ({ login, type });

describe("latestReviews", () => {
  const cases: Array<{
    name: string;
    reviews: ReviewLike[];
    expected: Array<[string, string, string | null]>;
  }> = [
    {
      name: "orders by submitted_at, not by list order",
      reviews: [
        {
          id: 2,
          user: user("sam"),
          state: "APPROVED",
          commit_id: "h2",
          submitted_at: "2026-01-01T10:00:00Z",
        },
        {
          id: 1,
          user: user("sam"),
          state: "CHANGES_REQUESTED",
          commit_id: "h1",
          submitted_at: "2026-01-01T09:00:00Z",
        },
      ],
      expected: [["sam", "APPROVED", "h2"]],
    },
    {
      name: "ties on submitted_at fall back to id",
      reviews: [
        {
          id: 9,
          user: user("sam"),
          state: "CHANGES_REQUESTED",
          commit_id: "h",
          submitted_at: "2026-01-01T09:00:00Z",
        },
        { id: 3, user: user("sam"), state: "APPROVED", commit_id: "h", submitted_at: "2026-01-01T09:00:00Z" },
      ],
      expected: [["sam", "CHANGES_REQUESTED", "h"]],
    },
    {
      name: "COMMENTED and PENDING never replace a decision; logins compare case-insensitively",
      reviews: [
        { id: 1, user: user("Sam"), state: "APPROVED", commit_id: "h", submitted_at: "2026-01-01T09:00:00Z" },
        {
          id: 2,
          user: user("sam"),
          state: "COMMENTED",
          commit_id: "h",
          submitted_at: "2026-01-01T10:00:00Z",
        },
        { id: 3, user: user("sam"), state: "PENDING", commit_id: "h", submitted_at: null },
      ],
      expected: [["Sam", "APPROVED", "h"]],
    },
    {
      name: "reviews of deleted users are skipped; webhook-style lowercase states are understood",
      reviews: [
        { id: 1, user: null, state: "APPROVED", commit_id: "h", submitted_at: "2026-01-01T09:00:00Z" },
        { id: 2, user: user("lee"), state: "approved", commit_id: "h", submitted_at: "2026-01-01T09:00:00Z" },
      ],
      expected: [["lee", "APPROVED", "h"]],
    },
  ];
  it.each(cases)("$name", ({ reviews, expected }) => {
    expect(latestReviews(reviews).map((r) => [r.login, r.state, r.commitId])).toEqual(expected);
  });

  it("flags bots by type or [bot] suffix", () => {
    const reviews: ReviewLike[] = [
      { id: 1, user: user("dependabot[bot]", "Bot"), state: "APPROVED", commit_id: "h", submitted_at: null },
      { id: 2, user: user("helper[bot]"), state: "APPROVED", commit_id: "h", submitted_at: null },
      { id: 3, user: user("app-user", "Bot"), state: "APPROVED", commit_id: "h", submitted_at: null },
      { id: 4, user: user("human"), state: "APPROVED", commit_id: "h", submitted_at: null },
    ];
    expect(latestReviews(reviews).map((r) => r.isBot)).toEqual([true, true, true, false]);
  });
});

describe("isGrantee", () => {
  const policy = { people: { "Bob-GH": "bob@example.com", "alice-gh": "ALICE@example.com" } };
  it.each<[string, Array<string | { id: number }>, boolean]>([
    ["bob-gh", ["Bob Builder (bob@example.com)"], true],
    ["BOB-gh", ["bob@example.com"], true],
    ["alice-gh", ["alice@example.com", "dave@example.com"], true],
    ["alice-gh", ["alice@example.org"], false],
    ["carol-gh", ["carol@example.com"], false],
    ["bob-gh", [{ id: 1173502976 }], false],
  ])("%s with users %j → %s", (login, users, expected) => {
    expect(isGrantee(login, { users }, policy)).toBe(expected);
  });
});

describe("parsePrincipal", () => {
  it.each([
    ["@acme/sre-leads", { kind: "team", org: "acme", team: "sre-leads" }],
    ["alice-gh", { kind: "login", login: "alice-gh" }],
    ["@alice-gh", { kind: "login", login: "alice-gh" }],
  ])("%s", (text, expected) => {
    expect(parsePrincipal(text)).toEqual(expected);
  });
});
