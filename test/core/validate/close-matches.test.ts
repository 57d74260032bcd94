import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closeMatches, editDistance, MAX_CLOSE_MATCHES } from "../../../src/core/validate/close-matches.js";

/** The textbook optimal string alignment distance (full table, no cut-off), to check the fast one against. */
function referenceDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}

const word = fc.string({ unit: fc.constantFrom(..."abcdeWIK-.@"), minLength: 0, maxLength: 12 });

/** One typo: a character inserted, deleted, replaced, or two neighbours swapped. */
const typo = (name: string, kind: number, at: number, char: string): string => {
  const i = at % name.length;
  switch (kind) {
    case 0:
      return name.slice(0, i) + char + name.slice(i);
    case 1:
      return name.slice(0, i) + name.slice(i + 1);
    case 2:
      return name.slice(0, i) + char + name.slice(i + 1);
    default: {
      const j = Math.min(i, name.length - 2);
      return name.slice(0, j) + name[j + 1] + name[j] + name.slice(j + 2);
    }
  }
};

describe("closeMatches", () => {
  it.each([
    ["Wikki", ["Jira", "prod-db", "payroll-db", "Grafana", "Wiki", "prod-api"], ["Wiki"]],
    [
      "alcie@example.com",
      ["alice@example.com", "carol@example.com", "dave@example.com"],
      ["alice@example.com"],
    ],
    ["prod-bd", ["prod-db", "prod-api", "payroll-db"], ["prod-db"]],
    ["wiki", ["Wiki", "Jira"], ["Wiki"]],
    ["Jria", ["Jira", "Wiki"], ["Jira"]],
    ["Payroll", ["Jira", "Wiki", "Grafana"], []],
    ["", ["Wiki"], []],
  ])("%s among the names → %j", (name, names, expected) => {
    expect(closeMatches(name, names)).toEqual(expected);
  });

  it("ranks by distance, then by text, and gives a handful at most", () => {
    const names = ["prod-db1", "prod-db2", "prod-db3", "prod-db4", "prod-d", "Prod-DB"];
    expect(closeMatches("prod-db", names)).toEqual(["Prod-DB", "prod-d", "prod-db1"]);
    expect(closeMatches("prod-db", names, 10)).toHaveLength(6);
  });

  it("edit distance: the fast one agrees with the full table, up to its limit", () => {
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 6 }), (a, b, limit) => {
        const exact = referenceDistance(a, b);
        const fast = editDistance(a, b, limit);
        if (exact <= limit) expect(fast).toBe(exact);
        else expect(fast).toBeGreaterThan(limit);
        expect(editDistance(a, b)).toBe(exact);
      }),
    );
  });

  it("finds the name behind one typo, and every suggestion is close, distinct and in order", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(..."abcdefgh"), minLength: 3, maxLength: 20 }),
        fc.array(word, { maxLength: 20 }),
        fc.integer({ min: 0, max: 3 }),
        fc.nat(),
        fc.constantFrom(..."xyz"),
        (name, others, kind, at, char) => {
          const typed = typo(name, kind, at, char);
          fc.pre(typed !== name);
          const found = closeMatches(typed, [...others, name]);
          expect(found.length).toBeLessThanOrEqual(MAX_CLOSE_MATCHES);
          expect(new Set(found).size).toBe(found.length);
          const distances = found.map((f) => referenceDistance(typed.toLowerCase(), f.toLowerCase()));
          expect([...distances].sort((x, y) => x - y)).toEqual(distances);
          for (const [i, f] of found.entries())
            expect(distances[i]).toBeLessThanOrEqual(
              Math.max(1, Math.floor(Math.max(typed.length, f.length) / 3)),
            );
          // the real name is one edit away: it is suggested unless a handful of others are as close
          const asClose = [...others, name].filter(
            (o) => o !== typed && referenceDistance(typed.toLowerCase(), o.toLowerCase()) <= 1,
          );
          if (new Set(asClose).size <= MAX_CLOSE_MATCHES) expect(found).toContain(name);
        },
      ),
    );
  });
});
