// Groups as grantees in grant files: the schema, the semantic checks (with file:line:col from the YAML), and the
// policy's allowGroups (default: forbidden where a resource's rule requires 2 or more approvals).
import { describe, expect, it } from "vitest";
import { validateRepository } from "../../src/grants/validate-repository.js";

const now = new Date("2026-11-25T12:00:00Z");
const policy = [
  "version: 1",
  "organizations:",
  "  acme: { orgId: 8094936, credentials: ACME }",
  "defaults: { maxDuration: 8h, approvals: 1, approvers: ['@acme/security'] }",
  "resources:",
  "  - match: { name: 'prod-*' }",
  "    approvals: 2",
  "    approvers: ['@acme/sre-leads']",
  "  - match: { name: 'payments-*' }",
  "    approvals: 2",
  "    allowGroups: true",
  "  - match: { name: 'Wiki' }",
  "    allowGroups: false",
  "breakGlass: { maxDuration: 1h, requesters: ['@acme/oncall'] }",
  "",
].join("\n");

function grantText(lines: string[]): string {
  return ["version: 1", ...lines, 'reason: "INC-7: on-call needs the dashboards"', "duration: 1h", ""].join(
    "\n",
  );
}

function validate(text: string) {
  const files = new Map([
    ["policy.yaml", new TextEncoder().encode(policy)],
    ["grants/ops/oncall.yaml", new TextEncoder().encode(text)],
  ]);
  return validateRepository(files, { now });
}

function problems(text: string): string[] {
  return validate(text).problems.map((p) => `${p.line}:${p.column} ${p.severity} ${p.code}`);
}

describe("grant files with groups", () => {
  it("accepts groups alone, by name or {id}, and normalises them with their positions", () => {
    const result = validate(grantText(["groups: [oncall-sre, {id: 1173600003}]", "resources: [Grafana]"]));
    expect(result.problems).toEqual([]);
    expect(result.grants[0]).toMatchObject({
      users: [],
      groups: ["oncall-sre", { id: 1173600003 }],
      positions: {
        users: [],
        groups: [
          { line: 2, column: 10 },
          { line: 2, column: 22 },
        ],
      },
    });
  });

  it("accepts users and groups together", () => {
    expect(
      problems(grantText(["users: [alice@example.com]", "groups: [oncall-sre]", "resources: [Grafana]"])),
    ).toEqual([]);
  });

  it.each<[string, string[], string[]]>([
    ["neither users nor groups", ["resources: [Grafana]"], ["1:1 error grantee-required"]],
    ["an empty groups list", ["groups: []", "resources: [Grafana]"], ["2:9 error schema"]],
    [
      "a group name with a control character",
      ['groups: ["oncall\\u0007sre"]', "resources: [Grafana]"],
      ["2:10 error invalid-group"],
    ],
    [
      "a group name with a leading space",
      ['groups: [" oncall-sre"]', "resources: [Grafana]"],
      ["2:10 error invalid-group"],
    ],
    ["a group {id} of 0", ["groups: [{id: 0}]", "resources: [Grafana]"], ["2:10 error invalid-group"]],
    [
      "the same group twice, in another case",
      ["groups: [oncall-sre, OnCall-SRE]", "resources: [Grafana]"],
      ["2:22 error duplicate-group"],
    ],
    [
      "a group on a resource whose rule requires 2 approvals (the default forbids it)",
      ["groups: [oncall-sre]", "resources: [Grafana, prod-db]"],
      ["2:1 error groups-not-allowed"],
    ],
    [
      "a group where allowGroups: false",
      ["groups: [oncall-sre]", "resources: [Wiki]"],
      ["2:1 error groups-not-allowed"],
    ],
    [
      "a group where allowGroups: true overrides 2 approvals",
      ["groups: [oncall-sre]", "resources: [payments-db]"],
      [],
    ],
    ["users only on a 2-approval resource", ["users: [alice@example.com]", "resources: [prod-db]"], []],
  ])("%s", (_title, lines, expected) => {
    expect(problems(grantText(lines))).toEqual(expected);
  });

  it("refuses break-glass with groups, at the breakGlass key's value", () => {
    const text = grantText(["groups: [oncall-sre]", "resources: [Grafana]", "breakGlass: true"]);
    expect(problems(text)).toEqual(["4:13 error break-glass-groups"]);
  });

  it("says which resource forbids groups and why", () => {
    const [problem] = validate(grantText(["groups: [oncall-sre]", "resources: [prod-db]"])).problems;
    expect(problem?.message).toContain("groups are not allowed for prod-db");
    expect(problem?.message).toContain("2 or more approvals");
  });
});

describe("the same group granted the same resource by two files", () => {
  function validateFiles(grants: Record<string, string>) {
    const files = new Map([["policy.yaml", new TextEncoder().encode(policy)]]);
    for (const [file, text] of Object.entries(grants)) files.set(file, new TextEncoder().encode(text));
    return validateRepository(files, { now });
  }

  it("warns on both files at the group entry, naming the group and the other file", () => {
    const result = validateFiles({
      "grants/ops/a.yaml": grantText([
        "users: [alice@example.com]",
        "groups: [oncall-sre]",
        "resources: [Grafana]",
      ]),
      "grants/ops/b.yaml": grantText(["groups: [dba, OnCall-SRE]", "resources: [Jira, Grafana]"]),
    });
    expect(result.problems).toEqual([
      {
        severity: "warning",
        code: "duplicate-grant",
        file: "grants/ops/a.yaml",
        line: 3,
        column: 10,
        message: "group oncall-sre → Grafana is also granted by grants/ops/b.yaml",
      },
      {
        severity: "warning",
        code: "duplicate-grant",
        file: "grants/ops/b.yaml",
        line: 2,
        column: 15,
        message: "group OnCall-SRE → Grafana is also granted by grants/ops/a.yaml",
      },
    ]);
  });

  it("matches a group {id} only with the same {id}, and never a user of the same name", () => {
    const result = validateFiles({
      "grants/ops/a.yaml": grantText(["groups: [{id: 7}]", "resources: [Grafana]"]),
      "grants/ops/b.yaml": grantText(["groups: [{id: 7}]", "resources: [Grafana]"]),
      "grants/ops/c.yaml": grantText(["users: [oncall-sre@example.com]", "resources: [Grafana]"]),
      "grants/ops/d.yaml": grantText(["groups: [oncall-sre@example.com]", "resources: [Grafana]"]),
    });
    expect(result.problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.message}`)).toEqual([
      "grants/ops/a.yaml:2:10 group {id: 7} → Grafana is also granted by grants/ops/b.yaml",
      "grants/ops/b.yaml:2:10 group {id: 7} → Grafana is also granted by grants/ops/a.yaml",
    ]);
  });

  it("says nothing when one of the two grants is over", () => {
    const expired = grantText(["groups: [oncall-sre]", "resources: [Grafana]"]).replace(
      "duration: 1h",
      "expiresAt: 2026-11-25T11:00:00Z",
    );
    const result = validateFiles({
      "grants/ops/a.yaml": grantText(["groups: [oncall-sre]", "resources: [Grafana]"]),
      "grants/ops/b.yaml": expired,
    });
    expect(result.problems.filter((p) => p.code === "duplicate-grant")).toEqual([]);
  });
});
