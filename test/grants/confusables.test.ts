// A requester (or a careless policy edit) writes an identity that looks like another: a Cyrillic а, a zero-width
// space. Users and resources get a warning showing the characters escaped; the policy's people map and principal
// lists (approvers, requesters, notify) get an error: who approves must be exactly who it looks like.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { validateRepository } from "../../src/grants/validate-repository.js";
import { confusableReason } from "../../src/core/validate/confusable-text.js";

const now = new Date("2026-11-25T12:00:00Z");
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const examplePolicy = readFileSync(new URL("../../policy.yaml", import.meta.url), "utf8");

function grantFile(user: string, resource = "Jira"): string {
  return [
    "version: 1",
    `users: [${JSON.stringify(user)}]`,
    `resources: [${JSON.stringify(resource)}]`,
    'reason: "CHG-1: checking the confusable identities"',
    "duration: 1h",
    "",
  ].join("\n");
}

function validate(files: Record<string, string>) {
  return validateRepository(new Map(Object.entries(files).map(([path, text]) => [path, encode(text)])), {
    now,
  });
}

describe("confusable identities", () => {
  it.each([
    ["a Cyrillic а", "\u0430lice@example.com", '"\\u0430lice@example.com" mixes Cyrillic and Latin letters'],
    [
      "a zero-width space",
      "al\u200bice@example.com",
      '"al\\u200bice@example.com" has an invisible character',
    ],
    [
      "a right-to-left override",
      "alice\u202e@example.com",
      '"alice\\u202e@example.com" has an invisible character',
    ],
    ["a Greek ο", "b\u03bfb@example.com", '"b\\u03bfb@example.com" mixes Greek and Latin letters'],
  ])("warns about a user with %s, at its position, escaped", (_label, user, shown) => {
    const result = validate({ "policy.yaml": examplePolicy, "grants/a.yaml": grantFile(user) });
    expect(result.problems).toEqual([
      expect.objectContaining({
        severity: "warning",
        code: "confusable-text",
        file: "grants/a.yaml",
        line: 2,
        column: 9,
      }),
    ]);
    expect(result.problems[0]?.message).toContain(`users[0] ${shown}`);
  });

  it("resource labels and approver lists are ASCII by schema: a confusable one is already an error", () => {
    const grant = validate({
      "policy.yaml": examplePolicy,
      "grants/a.yaml": grantFile("alice@example.com", "Jir\u0430"),
    });
    expect(grant.problems.map((p) => `${p.severity}:${p.code}:${p.line}`)).toEqual([
      "error:invalid-resource:3",
    ]);
    const policy = validate({
      "policy.yaml": examplePolicy.replace(
        'approvers: ["@acme/sre-leads"]',
        'approvers: ["@acme/sre\u200b-leads"]',
      ),
    });
    expect(policy.problems.map((p) => `${p.severity}:${p.code}:${p.line}`)).toEqual(["error:schema:9"]);
  });

  it("errors on a confusable e-mail in the policy's people map (its logins are ASCII by schema), and the policy is then unusable", () => {
    const policy = examplePolicy.replace(
      "people: { alice-gh: alice@example.com, bob-gh: bob@example.com",
      "people: { alice-gh: \u0430lice@example.com, bob-gh: bob\u200b@example.com",
    );
    const result = validate({ "policy.yaml": policy });
    expect(result.policy).toBeNull();
    expect(result.problems.map((p) => `${p.severity}:${p.code}:${p.line}:${p.message}`)).toEqual([
      'error:confusable-identity:14:people.alice-gh "\\u0430lice@example.com" mixes Cyrillic and Latin letters: identities must be unambiguous',
      'error:confusable-identity:14:people.bob-gh "bob\\u200b@example.com" has an invisible character: identities must be unambiguous',
    ]);
  });

  it("accepts plain identities in one script, whatever the script", () => {
    for (const text of [
      "alice@example.com",
      "Jira",
      "prod-db-1",
      "Мария",
      "ελένη",
      "山田太郎",
      "やまだ",
      "josé.garcía@example.com",
    ])
      expect(confusableReason(text), text).toBeNull();
  });
});
