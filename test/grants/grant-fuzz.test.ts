import { POLICY_REFUSAL_CODES } from "../../src/core/validate/policy-refusal.js";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateRepository } from "../../src/grants/validate-repository.js";

const now = new Date("2026-11-25T12:00:00Z");
const policy = readFileSync(new URL("../../policy.yaml", import.meta.url));
const seeds = [
  "grants/payments/alice-jira.yaml",
  "grants/sre/bob-prod-db.yaml",
  "grants/data/carol-dave-dashboards.yaml",
].map((file) => readFileSync(new URL(`../../${file}`, import.meta.url)));

const junkValues = [
  "[1, 2]",
  "{}",
  "123",
  "null",
  "~",
  "-1.5e300",
  "true",
  "x".repeat(70_000),
  "'" + "y".repeat(5_000) + "'",
  "[" + "[".repeat(200),
  "&a [1]",
  "*a",
  "!tag x",
  "!!binary aGk=",
  "{id: -1}",
  "{id: 1e100}",
  "P99999999999999999999D",
  "9999999999-01-01T00:00:00Z",
  "\u0000",
  '"\\uD800"',
];

type Mutation = (bytes: Uint8Array) => Uint8Array;
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const bytesOf = (value: string): Uint8Array => new TextEncoder().encode(value);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, value]) => (b: Uint8Array) => {
    const copy = b.slice();
    if (copy.length > 0) copy[at % copy.length] = value;
    return copy;
  }),
  fc.nat().map((at) => (b: Uint8Array) => {
    const lines = text(b).split("\n");
    lines.splice(at % lines.length, 1);
    return bytesOf(lines.join("\n"));
  }),
  fc.tuple(fc.nat(), fc.constantFrom(...junkValues)).map(([at, junk]) => (b: Uint8Array) => {
    const lines = text(b).split("\n");
    const index = at % lines.length;
    lines[index] = (lines[index] ?? "").replace(/:.*$/, `: ${junk}`);
    return bytesOf(lines.join("\n"));
  }),
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([at, junk]) => (b: Uint8Array) => {
    const cut = at % (b.length + 1);
    return new Uint8Array([...b.subarray(0, cut), ...junk, ...b.subarray(cut)]);
  }),
  fc.nat().map((at) => (b: Uint8Array) => b.subarray(0, at % (b.length + 1))),
  fc.nat().map((at) => (b: Uint8Array) => {
    const lines = text(b).split("\n");
    const line = lines[at % lines.length] ?? "";
    lines.splice(at % lines.length, 0, line);
    return bytesOf(lines.join("\n"));
  }),
  fc.constantFrom<Mutation>(
    (b) => bytesOf(text(b).replace(/\n/g, "\n  ")),
    (b) => bytesOf(`${text(b)}---\n${text(b)}`),
    (b) => bytesOf(text(b).replace(/: /g, ":")),
  ),
);

describe("fuzz: mutated grant files", () => {
  it("never throw, and end valid or with positioned errors", () => {
    fc.assert(
      fc.property(
        fc.nat(seeds.length - 1),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (seed, mutations) => {
          const bytes = mutations.reduce<Uint8Array>((current, mutate) => mutate(current), seeds[seed]!);
          const file = "grants/fuzz/g.yaml";
          const result = validateRepository(
            new Map<string, Uint8Array>([
              ["policy.yaml", policy],
              [file, bytes],
            ]),
            { now },
          );
          const errors = result.problems.filter((p) => p.severity === "error");
          if (errors.every((p) => POLICY_REFUSAL_CODES.has(p.code))) {
            expect(result.grants.map((g) => g.id)).toEqual(["fuzz/g"]);
          } else {
            expect(result.invalidGrantIds).toEqual(["fuzz/g"]);
            expect(result.grants).toEqual([]);
          }
          for (const problem of result.problems) {
            expect(problem.file).toBe(file);
            expect(problem.line).toBeGreaterThanOrEqual(1);
            expect(problem.column).toBeGreaterThanOrEqual(1);
            expect(Number.isInteger(problem.line) && Number.isInteger(problem.column)).toBe(true);
            expect(problem.message.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
