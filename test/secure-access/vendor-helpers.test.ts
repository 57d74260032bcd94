import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Identity } from "../../src/core/model/secure-access-types.js";
import { collectPages } from "../../src/secure-access/collect-pages.js";
import { createWriteQueue } from "../../src/secure-access/create-write-queue.js";
import { toBoolean, toInteger } from "../../src/secure-access/lenient-values.js";
import { identityMatches, labelUpn, matchIdentities } from "../../src/secure-access/match-identities.js";
import { parseRetryAfter } from "../../src/secure-access/parse-retry-after.js";
import { redactSecrets } from "../../src/secure-access/redact-secrets.js";

const identity = (id: number, label: string, deleted = false): Identity => ({
  id,
  label,
  deleted,
  type: { id: 7, label: "AD Users", type: "directory_user" },
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it.each([
    { value: "3", want: 3000 },
    { value: " 0 ", want: 0 },
    { value: "1.5", want: 1500 },
    { value: "Thu, 01 Jan 2026 00:00:10 GMT", want: 10_000 },
    { value: "Wed, 31 Dec 2025 23:59:00 GMT", want: 0 },
    { value: "soon", want: null },
    { value: "", want: null },
    { value: null, want: null },
  ])("$value → $want", ({ value, want }) => {
    expect(parseRetryAfter(value, now)).toBe(want);
  });
});

describe("lenient values", () => {
  it.each([
    [8094936, 8094936],
    ["8094936.0", 8094936],
    [8094936.0, 8094936],
    ["12", 12],
    [1.5, null],
    ["x", null],
    ["", null],
    [null, null],
  ])("toInteger(%j) = %j", (value, want) => {
    expect(toInteger(value)).toBe(want);
  });
  it.each([
    [true, true],
    ["true", true],
    ["FALSE", false],
    ["yes", null],
    [1, null],
  ])("toBoolean(%j) = %j", (value, want) => {
    expect(toBoolean(value)).toBe(want);
  });
});

describe("identity matching (docs/vendor-client.md)", () => {
  it.each([
    { label: "alice@example.com", query: "Alice@Example.com", want: true },
    { label: "Bob Builder (bob@example.com)", query: "bob@example.com", want: true },
    { label: "Bob Builder (bob@example.com)", query: "bob builder (BOB@example.com)", want: true },
    { label: "Bob Builder (bob@example.com)", query: "Bob Builder", want: false },
    { label: "Engineering (example.net\\Engineering)", query: "example.net\\engineering", want: true },
    { label: "alice@example.com.old", query: "alice@example.com", want: false },
    { label: "(a) x (b@example.com)", query: "a", want: false },
  ])("$label vs $query → $want", ({ label, query, want }) => {
    expect(identityMatches(query, identity(1, label))).toBe(want);
  });

  it("labelUpn takes the last parentheses", () => {
    expect(labelUpn("(a) x (b@example.com)")).toBe("b@example.com");
    expect(labelUpn("plain")).toBeNull();
  });

  it("splits live and deleted matches and drops duplicate ids", () => {
    const result = matchIdentities("m@x.io", [
      identity(1, "m@x.io", true),
      identity(2, "M (m@x.io)"),
      identity(2, "M (m@x.io)"),
    ]);
    expect(result.matches.map((i) => i.id)).toEqual([2]);
    expect(result.deletedMatches.map((i) => i.id)).toEqual([1]);
  });

  it("property: every label matches itself, in any case, and its UPN", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((s) => !/[()]/.test(s) && s.trim() !== ""),
        fc.emailAddress(),
        (name, email) => {
          const label = `${name} (${email})`;
          expect(identityMatches(label.toUpperCase(), identity(1, label))).toBe(true);
          expect(identityMatches(email, identity(1, label))).toBe(true);
        },
      ),
    );
  });
});

describe("collectPages", () => {
  it("property: returns exactly all items for any total and limit, with one extra call on an exact multiple", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(50), fc.integer({ min: 1, max: 10 }), async (total, limit) => {
        const calls: number[] = [];
        const items = await collectPages(
          limit,
          (offset, l) => {
            calls.push(offset);
            return Promise.resolve(
              Array.from({ length: Math.max(0, Math.min(l, total - offset)) }, (_, i) => offset + i),
            );
          },
          () => new Error("too many"),
        );
        expect(items).toEqual(Array.from({ length: total }, (_, i) => i));
        expect(calls).toHaveLength(Math.floor(total / limit) + 1);
      }),
    );
  });

  it("stops a server that ignores offset", async () => {
    await expect(
      collectPages(
        1,
        () => Promise.resolve([1]),
        () => new Error("too many pages"),
      ),
    ).rejects.toThrow("too many pages");
  });
});

describe("write queue", () => {
  it("runs tasks one at a time in call order, failures included", async () => {
    const queue = createWriteQueue();
    const log: string[] = [];
    const task =
      (name: string, fail = false) =>
      async () => {
        log.push(`start ${name}`);
        await new Promise((resolve) => setImmediate(resolve));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([queue(task("a")), queue(task("b", true)), queue(task("c"))]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(log).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
  });
});

describe("redactSecrets", () => {
  it("removes raw and URL-encoded forms, ignores tiny strings", () => {
    expect(redactSecrets("a s3cr/t+x b s3cr%2Ft%2Bx c", ["s3cr/t+x", "ab"])).toBe(
      "a [REDACTED] b [REDACTED] c",
    );
  });
});
