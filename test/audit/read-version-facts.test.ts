// Git facts for the audit, from a real temporary repository: a PR merged with a merge commit (requester = the
// feature commit's author, merger = the merge's author), a squash-style commit (requester = author, merger =
// committer), unknown commits, missing files, and versions inferred for rules the journal never saw.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { simpleGit } from "simple-git";
import { gitProcessEnv } from "../../src/git/git-env.js";
import { readVersionFacts } from "../../src/audit/read-version-facts.js";
import { inferVersions, NOTE_VERSION_INFERRED } from "../../src/audit/infer-versions.js";
import { readAuditPolicy } from "../../src/audit/read-audit-policy.js";
import { catObjects } from "../../src/git/cat-objects.js";
import { versionKey } from "../../src/core/audit/audit-enrich.js";
import { blank } from "../../src/core/audit/audit-intervals.js";
import { createGitFixture, type GitFixture } from "../helpers/git-fixture.js";

const alice = "Alice Able <alice@example.com>";
const bob = "Bob Boss <bob@example.com>";
const carol = "Carol Cole <carol@example.com>";
const github = "GitHub <noreply@github.com>";

let repo: GitFixture;
afterEach(async () => {
  await repo?.cleanup();
});

/** Runs git in the fixture with the given author, committer and date. */
function gitAs(author: string, committer: string, iso: string) {
  const [an, ae] = split(author);
  const [cn, ce] = split(committer);
  const env = {
    GIT_AUTHOR_NAME: an,
    GIT_AUTHOR_EMAIL: ae,
    GIT_COMMITTER_NAME: cn,
    GIT_COMMITTER_EMAIL: ce,
    GIT_AUTHOR_DATE: iso,
    GIT_COMMITTER_DATE: iso,
  };
  return simpleGit({
    baseDir: repo.dir,
    config: ["commit.gpgsign=false"],
    allowEnvironment: ["GIT_TERMINAL_PROMPT", ...Object.keys(env)],
  }).env({ ...gitProcessEnv(), ...env });
}

function split(person: string): [string, string] {
  const match = /^(.*) <(.*)>$/.exec(person)!;
  return [match[1]!, match[2]!];
}

async function commitAs(author: string, committer: string, iso: string, message: string): Promise<string> {
  const git = gitAs(author, committer, iso);
  await git.raw(["add", "-A"]);
  await git.raw(["commit", "--quiet", "-m", message]);
  return repo.head();
}

const grant = (reason: string, ticket?: string): string =>
  `version: 1\nusers: [alice@example.com]\nresources: [Jira]\nreason: "${reason}"\nduration: 4h\n${ticket === undefined ? "" : `ticket: ${ticket}\n`}`;

let merge: string;
let squash: string;
beforeEach(async () => {
  repo = await createGitFixture();
  await repo.write("policy.yaml", "version: 1\norganizations:\n  acme: { orgId: 1, credentials: ACME }\n");
  await commitAs(bob, bob, "2026-03-02T08:00:00Z", "policy");
  await repo.git.raw(["checkout", "--quiet", "-b", "alice/jira"]);
  await repo.write("grants/payments/alice-jira.yaml", grant("CHG-1: look at the payments import", "CHG-1"));
  await commitAs(alice, alice, "2026-03-02T08:30:00Z", "request jira");
  await repo.git.raw(["checkout", "--quiet", "main"]);
  await gitAs(bob, bob, "2026-03-02T09:00:00Z").raw([
    "merge",
    "--quiet",
    "--no-ff",
    "-m",
    "Merge PR #12",
    "alice/jira",
  ]);
  merge = await repo.head();
  await repo.write("grants/data/carol.yml", grant("INC-9: restore the wiki backup"));
  squash = await commitAs(carol, github, "2026-03-02T10:00:00Z", "request wiki (#13)");
});

describe("readVersionFacts", () => {
  it("reads reason, ticket, requester and merger at each version commit", async () => {
    const facts = await readVersionFacts(repo.dir, [
      { commit: merge, grantId: "payments/alice-jira" },
      { commit: squash, grantId: "data/carol" },
      { commit: merge, grantId: "data/carol" },
      { commit: "f".repeat(40), grantId: "payments/alice-jira" },
      { commit: merge, grantId: "../escape" },
    ]);
    expect(facts.get(versionKey(merge, "payments/alice-jira"))).toEqual({
      reason: "CHG-1: look at the payments import",
      ticket: "CHG-1",
      requester: alice,
      mergedBy: bob,
    });
    expect(facts.get(versionKey(squash, "data/carol"))).toEqual({
      reason: "INC-9: restore the wiki backup",
      ticket: null,
      requester: carol,
      mergedBy: github,
    });
    // The file did not exist yet at the merge: no reason, no requester; the merger is still known.
    expect(facts.get(versionKey(merge, "data/carol"))).toEqual({
      reason: null,
      ticket: null,
      requester: null,
      mergedBy: bob,
    });
    expect(facts.size).toBe(3);
  });

  it("reads the file at the version, not a later one and never the working tree", async () => {
    await repo.write("grants/payments/alice-jira.yaml", grant("CHG-2: a later request"));
    const later = await commitAs(alice, alice, "2026-03-02T11:00:00Z", "extend");
    await repo.write("grants/payments/alice-jira.yaml", grant("uncommitted edit"));
    const facts = await readVersionFacts(repo.dir, [
      { commit: merge, grantId: "payments/alice-jira" },
      { commit: later, grantId: "payments/alice-jira" },
    ]);
    expect(facts.get(versionKey(merge, "payments/alice-jira"))?.reason).toBe(
      "CHG-1: look at the payments import",
    );
    expect(facts.get(versionKey(later, "payments/alice-jira"))?.reason).toBe("CHG-2: a later request");
  });
});

describe("inferVersions", () => {
  const interval = (from: string | null, grantId = "payments/alice-jira") => ({
    ...blank({ organization: "acme", grantId, ruleId: 1, ruleName: "r", expiresAt: null }),
    from,
  });

  it("takes the last first-parent change of the file at or before the rule's creation", async () => {
    const head = await repo.head();
    const [after, before, unknown, known] = await inferVersions(repo.dir, head, [
      interval("2026-03-02T09:00:05Z"),
      interval("2026-03-02T08:45:00Z"),
      interval(null),
      { ...interval("2026-03-02T09:30:00Z"), version: "abc1234" },
    ]);
    expect(after).toMatchObject({ version: merge, notes: [NOTE_VERSION_INFERRED] });
    expect(before!.version).toBeNull();
    expect(unknown!.version).toBeNull();
    expect(known!.version).toBe("abc1234");
  });
});

describe("readAuditPolicy and catObjects", () => {
  it("reads and validates the policy at a commit; a missing one is exit 4", async () => {
    const head = await repo.head();
    const policy = await readAuditPolicy(repo.dir, head, "policy.yaml", new Date("2026-03-02T12:00:00Z"));
    expect(Object.keys(policy.organizations)).toEqual(["acme"]);
    await expect(readAuditPolicy(repo.dir, head, "nope.yaml", new Date())).rejects.toMatchObject({
      code: "POLICY_MISSING",
      exitCode: 4,
    });
  });

  it("answers in input order with null for missing objects", async () => {
    const objects = await catObjects(repo.dir, [`${merge}:nope`, merge, `${squash}:grants/data/carol.yml`]);
    expect(objects.map((object) => object?.type ?? null)).toEqual([null, "commit", "blob"]);
  });
});
