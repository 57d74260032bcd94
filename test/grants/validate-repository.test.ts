import { POLICY_REFUSAL_CODES } from "../../src/core/validate/policy-refusal.js";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { startRepositoryValidation, validateRepository } from "../../src/grants/validate-repository.js";

const now = new Date("2026-11-25T12:00:00Z");
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const examplePolicy = readFileSync(new URL("../../policy.yaml", import.meta.url));
const fixture = (name: string): Uint8Array =>
  readFileSync(new URL(`../fixtures/invalid-grants/${name}`, import.meta.url));
const valid = [
  "version: 1",
  "users: [alice@example.com]",
  "resources: [Jira]",
  'reason: "CHG-1: a good enough reason"',
  "duration: 4h",
  "",
].join("\n");

function repo(entries: Record<string, Uint8Array | string>): Map<string, Uint8Array> {
  return new Map(
    Object.entries(entries).map(([file, data]) => [file, typeof data === "string" ? encode(data) : data]),
  );
}

// One fixture per error class: the code, and where it must point.
const cases: Array<[fixture: string, code: string, line: number, column: number, severity?: "warning"]> = [
  ["yaml-syntax.yaml", "yaml-syntax", 3, 1],
  ["yaml-duplicate-key.yaml", "yaml-duplicate-key", 6, 1],
  ["yaml-unknown-tag.yaml", "yaml-unknown-tag", 5, 11],
  ["yaml-alias.yaml", "yaml-alias", 2, 11],
  ["yaml-multiple-documents.yaml", "yaml-multiple-documents", 6, 1],
  ["yaml-not-mapping.yaml", "yaml-not-mapping", 1, 1],
  ["file-not-utf8.yaml", "file-not-utf8", 4, 14],
  ["unknown-field.yaml", "unknown-field", 6, 1],
  ["unknown-field-typo.yaml", "unknown-field", 6, 1],
  ["missing-field.yaml", "missing-field", 1, 1],
  ["duration-or-expiry.yaml", "duration-or-expiry", 6, 1],
  ["invalid-user.yaml", "invalid-user", 4, 5],
  ["invalid-resource.yaml", "invalid-resource", 3, 19],
  ["schema-reason.yaml", "schema", 4, 9],
  ["schema-duration.yaml", "schema", 5, 11],
  ["schema-version.yaml", "schema", 5, 10],
  ["duration-invalid.yaml", "duration-invalid", 5, 11],
  ["starts-after-expiry.yaml", "starts-after-expiry", 5, 11],
  ["unknown-organization.yaml", "unknown-organization", 5, 15],
  ["resource-denied.yaml", "resource-denied", 3, 19],
  ["duration-over-cap.yaml", "duration-over-cap", 5, 11],
  ["expires-over-cap.yaml", "duration-over-cap", 5, 12],
  ["break-glass-over-cap.yaml", "break-glass-over-cap", 5, 11],
  ["duplicate-user.yaml", "duplicate-user", 2, 28],
  ["duplicate-resource.yaml", "duplicate-resource", 3, 30],
  ["grant-expired.yaml", "grant-expired", 5, 12, "warning"],
];

describe("validateRepository: one fixture per problem class", () => {
  it.each(cases)("%s → %s at %i:%i", (name, code, line, column, given) => {
    const severity: "error" | "warning" = given ?? "error";
    const file = `grants/t/${name}`;
    const result = validateRepository(repo({ "policy.yaml": examplePolicy, [file]: fixture(name) }), { now });
    expect(result.problems.map((p) => ({ ...p, message: "" }))).toContainEqual({
      severity,
      code,
      file,
      line,
      column,
      message: "",
    });
    expect(result.problems.every((p) => p.file === file && p.message.length > 0)).toBe(true);
    if (severity === "error" && POLICY_REFUSAL_CODES.has(code)) {
      // Well-formed but forbidden by the policy: still a grant, so the reconciler rejects it and removes its rule.
      expect(result.invalidGrantIds).toEqual([]);
      expect(result.grants.map((g) => g.id)).toEqual([`t/${name.replace(/\.yaml$/, "")}`]);
    } else if (severity === "error") {
      expect(result.invalidGrantIds).toEqual([`t/${name.replace(/\.yaml$/, "")}`]);
      expect(result.grants).toEqual([]);
    } else {
      expect(result.grants.map((g) => g.id)).toEqual([`t/${name.replace(/\.yaml$/, "")}`]);
    }
  });

  it("turns an expired grant into an error when the file changed since the reference", () => {
    const file = "grants/t/grant-expired.yaml";
    const files = repo({ "policy.yaml": examplePolicy, [file]: fixture("grant-expired.yaml") });
    const result = validateRepository(files, { now, changedFiles: new Set([file]) });
    expect(result.problems).toMatchObject([
      { severity: "error", code: "grant-expired", line: 5, column: 12 },
    ]);
    expect(result.invalidGrantIds).toEqual(["t/grant-expired"]);
  });
});

describe("validateRepository: repository-level problems", () => {
  const table: Array<[title: string, files: Record<string, string | Uint8Array>, expected: object[]]> = [
    [
      "missing policy",
      { "grants/a.yaml": valid },
      [{ file: "policy.yaml", code: "policy-missing", line: 1, column: 1 }],
    ],
    [
      "uppercase grant id",
      { "policy.yaml": examplePolicy, "grants/Team/Alice.yaml": valid },
      [{ file: "grants/Team/Alice.yaml", code: "grant-id", line: 1, column: 1 }],
    ],
    [
      "grant id over 100 characters",
      { "policy.yaml": examplePolicy, [`grants/${"a".repeat(101)}.yaml`]: valid },
      [{ code: "grant-id", line: 1, column: 1 }],
    ],
    [
      "same id as .yaml and .yml",
      { "policy.yaml": examplePolicy, "grants/a.yaml": valid, "grants/a.yml": valid },
      [
        { file: "grants/a.yaml", code: "duplicate-grant-id" },
        { file: "grants/a.yml", code: "duplicate-grant-id" },
      ],
    ],
    [
      "file over 64 KiB",
      { "policy.yaml": examplePolicy, "grants/big.yaml": `${valid}# ${"x".repeat(70_000)}\n` },
      [{ file: "grants/big.yaml", code: "file-too-large", line: 1, column: 1 }],
    ],
    [
      "two files granting the same user the same resource",
      { "policy.yaml": examplePolicy, "grants/a.yaml": valid, "grants/b.yaml": valid.replace("4h", "2h") },
      [
        { file: "grants/a.yaml", code: "duplicate-grant", severity: "warning", line: 2, column: 9 },
        { file: "grants/b.yaml", code: "duplicate-grant", severity: "warning", line: 2, column: 9 },
      ],
    ],
    [
      "organization required when the policy names several",
      {
        "policy.yaml":
          "version: 1\norganizations:\n  acme: { orgId: 1, credentials: ACME }\n  globex: { orgId: 2, credentials: GLOBEX }\n",
        "grants/a.yaml": valid,
      },
      [{ file: "grants/a.yaml", code: "organization-required", line: 1, column: 1 }],
    ],
    [
      "break-glass without a breakGlass policy",
      {
        "policy.yaml": "version: 1\norganizations:\n  acme: { orgId: 1, credentials: ACME }\n",
        "grants/a.yaml": `${valid}breakGlass: true\n`,
      },
      [{ file: "grants/a.yaml", code: "break-glass-not-allowed", line: 6, column: 13 }],
    ],
    [
      "policy schema error points at the value",
      { "policy.yaml": "version: 1\norganizations:\n  acme: { orgId: one, credentials: ACME }\n" },
      [{ file: "policy.yaml", code: "schema", line: 3, column: 18 }],
    ],
    [
      "policy with an unknown key and a bad alias",
      { "policy.yaml": "version: 1\norganizations:\n  Acme: { orgId: 1, credentials: ACME }\nextra: 1\n" },
      [
        { file: "policy.yaml", code: "schema", line: 3, column: 3 },
        { file: "policy.yaml", code: "unknown-field", line: 4, column: 1 },
      ],
    ],
    [
      "policy duration that parses to nothing",
      {
        "policy.yaml":
          "version: 1\norganizations:\n  acme: { orgId: 1, credentials: ACME }\ndefaults: { maxDuration: PT }\n",
      },
      [{ file: "policy.yaml", code: "duration-invalid", line: 4, column: 26 }],
    ],
    [
      "auto-approve longer than the cap (warning)",
      {
        "policy.yaml":
          "version: 1\norganizations:\n  acme: { orgId: 1, credentials: ACME }\ndefaults:\n  maxDuration: 1h\n  autoApprove: { maxDuration: 2h, requesters: [bob] }\n",
      },
      [{ file: "policy.yaml", code: "auto-approve-over-cap", severity: "warning", line: 6, column: 31 }],
    ],
  ];

  it.each(table)("%s", (_title, files, expected) => {
    const result = validateRepository(repo(files), { now });
    expect(result.problems).toHaveLength(expected.length);
    expected.forEach((want, index) => expect(result.problems[index]).toMatchObject(want));
  });

  it("ignores grants/expired/ and files outside grants/, and warns about other files under grants/", () => {
    const files = repo({
      "policy.yaml": examplePolicy,
      "grants/expired/old.yaml": "garbage: [",
      "grants/notes.txt": "hello",
      "README.md": "# hi",
      "grants/ok.yml": valid,
    });
    const result = validateRepository(files, { now });
    expect(result.problems).toEqual([
      {
        severity: "warning",
        code: "not-a-grant-file",
        file: "grants/notes.txt",
        line: 1,
        column: 1,
        message:
          "grants/notes.txt is not a grant file (grant files end in .yaml or .yml); it is not reconciled",
      },
    ]);
    expect(result.grants.map((g) => g.id)).toEqual(["ok"]);
  });

  it("reports every problem of every file, sorted by file, line and column", () => {
    const files = repo({
      "policy.yaml": examplePolicy,
      "grants/b.yaml": fixture("unknown-field.yaml"),
      "grants/a.yaml": fixture("schema-reason.yaml"),
      "grants/c.yaml": valid.replace("Jira", "prod-db").replace("4h", "9h") + "ticket: 'bad ticket!'\n",
    });
    const result = validateRepository(files, { now });
    expect(result.problems.map((p) => `${p.file}:${p.line}:${p.column}:${p.code}`)).toEqual([
      "grants/a.yaml:4:9:schema",
      "grants/b.yaml:6:1:unknown-field",
      "grants/c.yaml:5:11:duration-over-cap", // semantic checks still run beside a schema error
      "grants/c.yaml:6:9:schema",
    ]);
    expect(result.invalidGrantIds).toEqual(["a", "b", "c"]);
  });

  it("normalises a valid grant", () => {
    const text = `${valid.replace("duration: 4h\n", "")}expiresAt: 2026-11-25T18:30:00.750+01:00\nstartsAt: 2026-11-25T13:00:00Z\nusers: [Bob@Example.com, {id: 5}]\n`;
    const result = validateRepository(
      repo({
        "policy.yaml": examplePolicy,
        "grants/x/y.yaml": text.replace("users: [alice@example.com]\n", ""),
      }),
      { now },
    );
    expect(result.problems).toEqual([]);
    expect(result.grants).toEqual([
      {
        id: "x/y",
        file: "grants/x/y.yaml",
        users: ["Bob@Example.com", { id: 5 }],
        groups: [],
        resources: ["Jira"],
        organization: "acme",
        reason: "CHG-1: a good enough reason",
        durationMs: null,
        expiresAt: "2026-11-25T17:30:00Z",
        startsAt: "2026-11-25T13:00:00Z",
        ticket: null,
        breakGlass: false,
        positions: {
          users: [
            { line: 6, column: 9 },
            { line: 6, column: 26 },
          ],
          groups: [],
          resources: [{ line: 2, column: 13 }],
        },
      },
    ]);
  });
});

describe("validateRepository: one copy of what grants have in common", () => {
  it("grants laid out alike share frozen positions and names; a differing layout keeps its own", () => {
    const other = valid.replace("users: [alice@example.com]\n", "users:\n  - alice@example.com\n");
    const result = validateRepository(
      repo({
        "policy.yaml": examplePolicy,
        "grants/x/a.yaml": valid,
        "grants/x/b.yaml": valid,
        "grants/x/c.yaml": other,
      }),
      { now },
    );
    expect(result.problems.filter((p) => p.severity === "error")).toEqual([]);
    const [a, b, c] = result.grants;
    expect(b!.positions).toBe(a!.positions);
    expect(b!.groups).toBe(a!.groups);
    expect(c!.positions).not.toBe(a!.positions);
    expect(c!.positions.users).not.toEqual(a!.positions.users);
    expect(() => {
      (a!.positions.users[0] as { line: number }).line = 99;
    }).toThrow(TypeError);
    expect(() => (a!.groups as unknown[]).push("sre")).toThrow(TypeError);
    expect(b!.positions.users[0]!.line).not.toBe(99);
  });
});

describe("validateRepository: policy defaults, compound durations, landing times", () => {
  const policyWith = (defaults: string): string =>
    `version: 1\norganizations:\n  acme: { orgId: 1, credentials: ACME }\ndefaults: { maxDuration: 8h${defaults} }\n`;
  const bare = "version: 1\nusers: [alice@example.com]\nresources: [Jira]\n";
  const validate = (policy: string, grant: string, extra: object = {}) =>
    validateRepository(repo({ "policy.yaml": policy, "grants/a.yaml": grant }), { now, ...extra });

  it("uses defaults.duration for a grant that gives neither duration nor expiresAt", () => {
    const result = validate(policyWith(", duration: 2h"), `${bare}reason: "CHG-1: a good enough reason"\n`);
    expect(result.problems).toEqual([]);
    expect(result.grants[0]?.durationMs).toBe(2 * 3600_000);
  });

  it("refuses a grant with neither when the policy sets no defaults.duration", () => {
    const result = validate(policyWith(""), `${bare}reason: "CHG-1: a good enough reason"\n`);
    expect(result.problems).toMatchObject([{ code: "duration-or-expiry", line: 1, column: 1 }]);
    expect(result.grants).toEqual([]);
  });

  it("caps defaults.duration like any duration", () => {
    const result = validate(policyWith(", duration: 12h"), `${bare}reason: "CHG-1: a good enough reason"\n`);
    expect(result.problems).toMatchObject([{ code: "duration-over-cap" }]);
  });

  it("reports both duration and expiresAt as one problem at expiresAt", () => {
    const grant = `${bare}reason: "CHG-1: a good enough reason"\nduration: 1h\nexpiresAt: 2026-11-26T00:00:00Z\n`;
    expect(validate(policyWith(""), grant).problems).toMatchObject([
      { code: "duration-or-expiry", line: 6, column: 1 },
    ]);
  });

  it("requires a reason unless defaults.requireReason is false", () => {
    expect(validate(policyWith(""), `${bare}duration: 1h\n`).problems).toMatchObject([
      { code: "missing-field", message: expect.stringContaining('"reason"') as string },
    ]);
    const relaxed = validate(policyWith(", requireReason: false"), `${bare}duration: 1h\n`);
    expect(relaxed.problems).toEqual([]);
    expect(relaxed.grants[0]?.reason).toBeNull();
  });

  it("accepts compound durations (1h30m, 2d12h) in grants and the policy", () => {
    const result = validate(
      policyWith(", duration: 1h30m"),
      `${bare}reason: "CHG-1: a good enough reason"\n`,
    );
    expect(result.problems).toEqual([]);
    expect(result.grants[0]?.durationMs).toBe(90 * 60_000);
    const long = validate(policyWith(""), `${bare}reason: "CHG-1: a good enough reason"\nduration: 2d12h\n`);
    expect(long.problems).toMatchObject([
      { code: "duration-over-cap", message: expect.stringContaining("60h") as string },
    ]);
  });

  it("warns about a duration grant whose landing time + duration has passed (not when the file changed)", () => {
    const grant = `${bare}reason: "CHG-1: a good enough reason"\nduration: 4h\n`;
    const landedAt = new Map([["grants/a.yaml", "2026-11-25T07:00:00Z"]]);
    expect(validate(policyWith(""), grant, { landedAt }).problems).toMatchObject([
      {
        severity: "warning",
        code: "grant-expired",
        line: 5,
        column: 11,
        message: expect.stringContaining("2026-11-25T11:00:00Z") as string,
      },
    ]);
    const recent = new Map([["grants/a.yaml", "2026-11-25T09:00:00Z"]]);
    expect(validate(policyWith(""), grant, { landedAt: recent }).problems).toEqual([]);
    const changed = new Set(["grants/a.yaml"]);
    expect(validate(policyWith(""), grant, { landedAt, changedFiles: changed }).problems).toEqual([]);
  });
});

describe("startRepositoryValidation (files fed one at a time)", () => {
  const files = repo({
    "policy.yaml": examplePolicy,
    "grants/a/one.yaml": valid,
    "grants/a/two.yaml": valid, // the same user and resource as one.yaml: a warning on both
    "grants/b/bad.yaml": fixture("unknown-field.yaml"),
    "grants/b/syntax.yaml": fixture("yaml-syntax.yaml"),
    "grants/c/three.yml": valid.replace("alice", "bob"),
    "grants/readme.txt": "not a grant",
  });

  it("gives validateRepository's result whatever order the grant files arrive in", () => {
    const reference = validateRepository(files, { now });
    expect(reference.problems.some((p) => p.code === "duplicate-grant")).toBe(true);
    const entries = [...files].filter(([file]) => file !== "policy.yaml");
    const shuffled = [2, 0, 4, 1, 5, 3].map((index) => entries[index]!);
    for (const order of [entries, [...entries].reverse(), shuffled]) {
      const validation = startRepositoryValidation(
        { paths: [...files.keys()], irregular: new Map() },
        { now },
      );
      validation.add("policy.yaml", files.get("policy.yaml")!);
      for (const [file, bytes] of order) validation.add(file, bytes);
      expect(validation.finish()).toEqual(reference);
    }
  });

  it("refuses a grant file before the listed policy (its checks need the policy)", () => {
    const validation = startRepositoryValidation({ paths: [...files.keys()], irregular: new Map() }, { now });
    expect(() => validation.add("grants/a/one.yaml", files.get("grants/a/one.yaml")!)).toThrow(
      /policy\.yaml/,
    );
  });
});
