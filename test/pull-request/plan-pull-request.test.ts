// planPullRequest reads and validates the repository once (a counting YAML parser is injected) and reports the
// problems of the files the pull request changes: the files' own, and the users that cannot be resolved.
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseYamlFile, type YamlParser } from "../../src/grants/parse-yaml-file.js";
import { createLogger } from "../../src/observability/create-logger.js";
import { planPullRequest } from "../../src/pull-request/plan-pull-request.js";
import { TrustGitVerifier } from "../../src/git/trust-git-verifier.js";
import { createFakeSecureAccess } from "../helpers/fake-secure-access.js";
import { createGitFixture, type GitFixture } from "../helpers/git-fixture.js";

const policy = readFileSync("policy.yaml", "utf8");
const grantFile = (users: string, resources: string, timing = "duration: 4h") =>
  `version: 1\nusers: [${users}]\nresources: [${resources}]\nreason: "CHG-1: a good reason"\n${timing}\n`;

let repo: GitFixture;
beforeEach(async () => {
  repo = await createGitFixture();
});
afterEach(async () => {
  await repo.cleanup();
});

describe("planPullRequest", () => {
  it("parses each file once and reports the changed files' problems once each", async () => {
    await repo.write("policy.yaml", policy);
    await repo.write("grants/team/a.yaml", grantFile("alice@example.com", "Jira"));
    await repo.commit("base", "2026-11-26T08:00:00Z");
    const { featureCommit } = await repo.mergeBranch("pr-7", "2026-11-26T08:30:00Z", {
      "grants/team/b.yaml": grantFile("alice@example.com, nobody@example.com", "Wiki"),
      "grants/team/old.yaml": grantFile("alice@example.com", "Jira", "expiresAt: 2026-11-26T07:00:00Z"),
    });
    await repo.git.raw(["reset", "--quiet", "--hard", "HEAD~1"]);
    const parses = new Map<string, number>();
    const counting: YamlParser = (file, bytes) => {
      parses.set(file, (parses.get(file) ?? 0) + 1);
      return parseYamlFile(file, bytes);
    };
    const api = createFakeSecureAccess({
      identities: [
        {
          id: 1,
          label: "alice@example.com",
          deleted: false,
          type: { id: 7, label: "AD", type: "directory_user" },
        },
      ],
      resources: [
        { resourceId: 183456, name: "Jira" },
        { resourceId: 183460, name: "Wiki" },
      ],
    });
    const plan = await planPullRequest(
      {
        repo: repo.dir,
        cacheDir: await repo.tempDir(),
        policyPath: "policy.yaml",
        rulePrefix: "grantops-",
        limits: { maxDeletes: 25, allowMassDelete: false, allowEmpty: false },
        pullNumber: 7,
        headSha: featureCommit,
      },
      {
        clock: () => new Date("2026-11-26T09:00:00Z"),
        logger: createLogger({ level: "silent" }),
        verifier: new TrustGitVerifier(),
        apiFor: () => api,
        parseYaml: counting,
      },
    );
    expect(plan.planError).toBeNull();
    expect(Object.fromEntries(parses)).toEqual({
      "policy.yaml": 1,
      "grants/team/a.yaml": 1,
      "grants/team/b.yaml": 1,
      "grants/team/old.yaml": 1,
    });
    expect(plan.problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.severity} ${p.code}`)).toEqual([
      "grants/team/old.yaml:5:12 error grant-expired",
      "grants/team/b.yaml:2:28 error user-not-found",
    ]);
    expect(plan.invalid).toBe(true);
  });
});
