import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { readDirectoryFiles } from "../../src/grants/read-directory-files.js";
import { validateRepository } from "../../src/grants/validate-repository.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("the repository's example grants and policy.yaml", () => {
  it("validate without errors (expiry warnings would be fine)", async () => {
    const files = await readDirectoryFiles(root);
    const result = validateRepository(files, { now: new Date("2026-11-25T12:00:00Z") });
    expect(result.problems.filter((p) => p.severity === "error")).toEqual([]);
    expect(result.invalidGrantIds).toEqual([]);
    expect(result.policy?.organizations).toEqual({ acme: { orgId: 8094936, credentials: "ACME" } });
    expect(result.grants.map((g) => [g.id, g.users, g.resources, g.durationMs, g.ticket])).toEqual([
      [
        "data/carol-dave-dashboards",
        ["carol@example.com", "dave@example.com"],
        ["Grafana", "Wiki"],
        8 * 3600_000,
        null,
      ],
      ["payments/alice-jira", ["alice@example.com"], ["Jira"], 4 * 3600_000, "CHG-1234"],
      ["sre/bob-prod-db", ["bob@example.com"], ["prod-db"], 3600_000, "INC-88"],
    ]);
    expect(result.grants.every((g) => g.organization === "acme")).toBe(true);
  });
});
