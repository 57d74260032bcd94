import { describe, expect, it } from "vitest";
import { validateGrant, type Locate } from "../../../src/core/validate/validate-grant.js";
import type { GrantFile, PolicyFile } from "../../../src/core/model/types.js";

const now = new Date("2026-11-25T12:00:00Z");
const policy: PolicyFile = {
  version: 1,
  organizations: { acme: { orgId: 1, credentials: "ACME" } },
  defaults: { maxDuration: "8h" },
  resources: [{ match: { name: "prod-*" }, maxDuration: "4h" }],
  breakGlass: { maxDuration: "1h", requesters: ["@acme/oncall"] },
};
// Positions encode the path, so a test can see where a problem points without any YAML.
const locate: Locate = (path, part) => ({ line: path.length + 1, column: part === "key" ? 1 : 2 });
const base: GrantFile = {
  version: 1,
  users: ["a@example.com"],
  resources: ["Jira"],
  reason: "a good enough reason",
};

function check(patch: Partial<GrantFile>, changed = false): string[] {
  const data = { ...base, ...patch } as GrantFile;
  const { problems } = validateGrant({
    id: "t/a",
    file: "grants/t/a.yaml",
    data,
    locate,
    policy,
    now,
    changed,
  });
  return problems.map((p) => `${p.severity} ${p.code}`);
}

describe("validateGrant (pure)", () => {
  it.each<[string, Partial<GrantFile>, string[]]>([
    ["a duration within the cap", { duration: "8h" }, []],
    ["a duration over the cap", { duration: "8h", resources: ["prod-x"] }, ["error duration-over-cap"]],
    ["expiresAt within the cap from now", { expiresAt: "2026-11-25T20:00:00Z" }, []],
    ["expiresAt over the cap from now", { expiresAt: "2026-11-25T20:00:01Z" }, ["error duration-over-cap"]],
    [
      "a late start with a span within the cap",
      { startsAt: "2026-12-01T00:00:00Z", expiresAt: "2026-12-01T08:00:00Z" },
      [],
    ],
    [
      "a late start with a span over the cap",
      { startsAt: "2026-12-01T00:00:00Z", expiresAt: "2026-12-01T08:30:00Z" },
      ["error duration-over-cap"],
    ],
    [
      "startsAt + duration already over",
      { startsAt: "2026-11-24T00:00:00Z", duration: "1h" },
      ["warning grant-expired"],
    ],
    ["break-glass within its cap", { duration: "1h", breakGlass: true }, []],
    [
      "break-glass over its cap",
      { expiresAt: "2026-11-25T14:00:00Z", breakGlass: true },
      ["error break-glass-over-cap"],
    ],
    ["an unparseable timestamp", { expiresAt: "2026-02-30T25:00:00Z" }, ["error timestamp-invalid"]],
  ])("%s", (_title, patch, expected) => {
    expect(check(patch)).toEqual(expected);
  });

  it("makes an expired grant an error when the file changed", () => {
    expect(check({ expiresAt: "2026-11-25T11:59:59Z" }, true)).toEqual(["error grant-expired"]);
  });

  it("skips policy checks without a policy and keeps the named organization", () => {
    const data = { ...base, duration: "900d", organization: "x", resources: ["prod-db"] } as GrantFile;
    const result = validateGrant({ id: "t/a", file: "f", data, locate, policy: null, now, changed: false });
    expect(result.problems).toEqual([]);
    expect(result.grant.organization).toBe("x");
  });
});
