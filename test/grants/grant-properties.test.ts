import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { GrantFile } from "../../src/core/model/types.js";
import { renderGrantFile } from "../../src/grants/render-grant-file.js";
import { validateRepository } from "../../src/grants/validate-repository.js";

const now = new Date("2026-11-25T12:00:00Z");
const policy = readFileSync(new URL("../../policy.yaml", import.meta.url));
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const LONE_SURROGATE = /\p{Surrogate}/u;

const email = fc
  .tuple(fc.stringMatching(/^[a-z0-9._+-]{1,20}$/), fc.stringMatching(/^[a-z0-9-]{1,20}\.[a-z]{2,6}$/))
  .map(([local, domain]) => `${local}@${domain}`);
const idRef = fc.integer({ min: 1, max: 2 ** 31 }).map((id) => ({ id }));
const resourceName = fc.stringMatching(/^[A-Za-z0-9 -]{1,50}$/).filter((name) => name !== "payroll-db");
const minutes = fc.integer({ min: 1, max: 59 });
const isoAt = (ms: number): string => new Date(ms).toISOString().replace(".000Z", "Z");

/** Grants inside every rule of the example policy: caps of at most 59 minutes satisfy prod-* and break-glass. */
const grantArb: fc.Arbitrary<GrantFile> = fc
  .record(
    {
      users: fc.uniqueArray(fc.oneof(email, idRef), {
        minLength: 1,
        maxLength: 20,
        selector: (u) => (typeof u === "string" ? u.toLowerCase() : `#${u.id}`),
      }),
      resources: fc.uniqueArray(fc.oneof(resourceName, idRef), {
        minLength: 1,
        maxLength: 20,
        selector: (r) => (typeof r === "string" ? r : `#${r.id}`),
      }),
      organization: fc.option(fc.constant("acme"), { nil: undefined }),
      reason: fc
        .string({ unit: "binary", minLength: 10, maxLength: 200 })
        .filter((s) => !LONE_SURROGATE.test(s)),
      timing: fc.oneof(
        minutes.map((m) => ({ duration: `${m}m` })),
        minutes.map((m) => ({ duration: `PT${m}M` })),
        fc.tuple(minutes, fc.integer({ min: 0, max: 1000 })).map(([m, startIn]) => {
          const start = now.getTime() + startIn * 60_000;
          return { startsAt: isoAt(start), expiresAt: isoAt(start + m * 60_000) };
        }),
      ),
      ticket: fc.option(fc.stringMatching(/^[A-Za-z0-9._#/-]{1,64}$/), { nil: undefined }),
      breakGlass: fc.option(fc.boolean(), { nil: undefined }),
    },
    { requiredKeys: ["users", "resources", "reason", "timing"] },
  )
  .map(({ timing, ...rest }) => {
    const grant: Record<string, unknown> = { version: 1, ...rest, ...timing };
    for (const key of Object.keys(grant)) if (grant[key] === undefined) delete grant[key];
    return grant as unknown as GrantFile;
  });

const groupName = fc
  .stringMatching(/^[A-Za-z0-9 ()._\\-]{1,60}$/)
  .map((name) => name.trim())
  .filter((name) => name !== "");

/**
 * Grants with groups (and users or not) within the example policy: groups are forbidden on prod-* (2 approvals)
 * and with break-glass, so those are left out.
 */
const groupGrantArb: fc.Arbitrary<GrantFile> = fc
  .tuple(
    grantArb,
    fc.uniqueArray(fc.oneof(groupName, idRef), {
      minLength: 1,
      maxLength: 20,
      selector: (g) => (typeof g === "string" ? g.toLowerCase() : `#${g.id}`),
    }),
    fc.boolean(),
  )
  .map(([grant, groups, withUsers]) => {
    const { breakGlass: _breakGlass, users, ...rest } = grant;
    const resources = grant.resources.filter((r) => typeof r !== "string" || !/^prod-/i.test(r));
    return {
      ...rest,
      ...(withUsers ? { users } : {}),
      groups,
      resources: resources.length > 0 ? resources : ["Grafana"],
    } as GrantFile;
  });

describe("grant files with groups generated from the schema's rules", () => {
  it("validate, and their YAML round-trips to the same data", () => {
    fc.assert(
      fc.property(groupGrantArb, (grant) => {
        const text = renderGrantFile(grant, "generated");
        expect(parse(text)).toEqual(grant);
        const files = new Map([
          ["policy.yaml", policy],
          ["grants/gen/g.yaml", encode(text)],
        ]);
        const result = validateRepository(files, { now });
        expect(result.problems).toEqual([]);
        expect(result.grants[0]).toMatchObject({ groups: grant.groups, users: grant.users ?? [] });
      }),
      { numRuns: 150 },
    );
  });
});

describe("grant files generated from the schema's rules", () => {
  it("validate, and their YAML round-trips to the same data", () => {
    fc.assert(
      fc.property(grantArb, (grant) => {
        const text = renderGrantFile(grant, "generated");
        expect(parse(text)).toEqual(grant);
        const files = new Map([
          ["policy.yaml", policy],
          ["grants/gen/g.yaml", encode(text)],
        ]);
        const result = validateRepository(files, { now });
        expect(result.problems).toEqual([]);
        expect(result.grants).toHaveLength(1);
        expect(result.grants[0]).toMatchObject({
          id: "gen/g",
          users: grant.users,
          resources: grant.resources,
          reason: grant.reason,
        });
      }),
      { numRuns: 150 },
    );
  });
});
