import { setupServer } from "msw/node";
import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PLAN_MARKER } from "../../src/github/sticky-comment.js";
import { API, OWNER, REPO, commitJson, membershipJson, pullJson } from "../github/github-fixtures.js";
import { servePullRequest } from "../github/pull-request-world.js";
import { runCli } from "../helpers/run-cli.js";
import { createServeWorld, grantYaml, type ServeWorld } from "../serve-e2e/serve-world.js";

const msw = setupServer();
const loopback = new Set(["127.0.0.1", "localhost"]);
let world: ServeWorld;
let head: string;
let fixedHead: string;

const BROKEN = "version: 1\nusers: [bob@example.com]\nresources: [Wiki]\nreason: short\nduration: 4h\n";

/** Commits on branch `name` (from main) and publishes it as refs/pull/N/head. */
async function pullRequestCommit(
  name: string,
  number: number,
  files: Record<string, string>,
): Promise<string> {
  const git = world.work.git;
  await git.raw(["checkout", "--quiet", "-B", name, "main"]);
  for (const [path, text] of Object.entries(files)) await world.work.write(path, text);
  const sha = await world.work.commit(`pull request ${number}`, new Date().toISOString());
  await git.raw(["push", "--quiet", "--force", world.bare, `${name}:refs/pull/${number}/head`]);
  await git.raw(["checkout", "--quiet", "main"]);
  return sha;
}

beforeAll(async () => {
  msw.listen({
    onUnhandledRequest(request, print) {
      if (!loopback.has(new URL(request.url).hostname)) print.error();
    },
  });
  world = await createServeWorld();
  await world.push({ "grants/t/dave-grafana.yaml": grantYaml(["dave@example.com"], ["Grafana"], "1h") });
  head = await pullRequestCommit("pr-7", 7, {
    "grants/t/erin-wiki.yaml": grantYaml(["erin@example.com"], ["Wiki"], "2h"),
    "grants/t/bob-broken.yaml": BROKEN,
  });
  fixedHead = await pullRequestCommit("pr-8", 8, {
    "grants/t/erin-wiki.yaml": grantYaml(["erin@example.com"], ["Wiki"], "2h"),
  });
});
afterEach(() => msw.resetHandlers());
afterAll(async () => {
  msw.close();
  await world?.close();
});

function cli(args: string[], env: Record<string, string> = {}) {
  return runCli(["pr-report", "--repo", world.url, "--trust-git", ...args], {
    env: { ...world.env, ...env },
    cwd: world.home,
  });
}

describe("grantops pr-report", () => {
  it("without GitHub prints the Markdown plan of refs/pull/N/head and exits 4 for a broken file", async () => {
    const run = await cli(["--pr", "7"]);
    expect(run.code).toBe(4);
    expect(run.stdout).toContain("## grantops: pull request #7");
    expect(run.stdout).toContain(`\`${head.slice(0, 12)}\``);
    expect(run.stdout).toMatch(
      /^- \*\*Creates\*\* `grantops-t-erin-wiki-[0-9a-f]{6}`: erin@example\.com → Wiki, from the merge for 2h/m,
    );
    expect(run.stdout).toContain("(not checked: GitHub is not configured)");
    expect(run.stdout).toContain("- `grants/t/bob-broken.yaml:4:9` error:");
    expect(run.stderr).toContain("grants/t/bob-broken.yaml:4:9: error:");
    expect(world.managed().has("t/erin-wiki")).toBe(false);
  });

  it("exits 0 for a valid pull request (a plan with changes is normal)", async () => {
    const run = await cli(["--pr", "8", "--head-sha", fixedHead, "--base", "main"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("### `t/erin-wiki` (added): `grants/t/erin-wiki.yaml`");
    // dave's grant on main is the rest of the organization: only counted, collapsed.
    expect(run.stdout).not.toContain("dave");
    expect(run.stdout).toMatch(/<details><summary>[^\n]*\n\n1 to create, 0 to delete/);
  });

  it("--format json prints the comment's model", async () => {
    const run = await cli(["--pr", "8", "--head-sha", fixedHead, "--base", "main", "--format", "json"]);
    expect(run.code).toBe(0);
    const comment = JSON.parse(run.stdout) as { sections: Array<Record<string, unknown>>; others: object };
    expect(comment.sections).toMatchObject([
      {
        grantId: "t/erin-wiki",
        change: "added",
        creates: [{ users: ["erin@example.com"], resources: ["Wiki"], durationMs: 7_200_000 }],
        approval: { kind: "policy", requirements: [{ approvals: 1, approvers: ["@acme/security"] }] },
      },
    ]);
    expect(comment.others).toMatchObject({ create: 1 });
  });

  it("with GitHub: publishes the comment and check, asks the approvers once, and refreshes on review", async () => {
    const github = servePullRequest(msw, 8);
    let memberChecks = 0;
    msw.use(
      http.get(`${API}/repos/${OWNER}/${REPO}/pulls/8`, () =>
        HttpResponse.json({
          ...pullJson({
            number: 8,
            author: "erin-gh",
            headSha: fixedHead,
            mergedAt: null,
            mergeCommitSha: null,
          }),
          base: { ref: "main", sha: "0".repeat(40) },
        }),
      ),
      // dave's grant on main was pushed directly: no merged PR (the GitHub verifier rejects it).
      http.get(`${API}/repos/${OWNER}/${REPO}/commits/:sha/pulls`, () => HttpResponse.json([])),
      http.get(`${API}/repos/${OWNER}/${REPO}/commits/:sha`, ({ params }) =>
        HttpResponse.json(commitJson(String(params["sha"]), "dave-gh")),
      ),
      http.get(`${API}/orgs/acme/teams/security/memberships/:login`, ({ params }) => {
        memberChecks += 1;
        return params["login"] === "sam-gh"
          ? HttpResponse.json(membershipJson("sam-gh", "active"))
          : HttpResponse.json({ message: "Not Found" }, { status: 404 });
      }),
    );
    const env = { GRANTOPS_GITHUB_TOKEN: "ghs_test", GRANTOPS_GITHUB_REPOSITORY: `${OWNER}/${REPO}` };
    const first = await cli(["--pr", "8"], env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^published the plan of pull request #8 \(success\)/);
    expect(github.comments).toHaveLength(1);
    const body = github.comments[0]?.body ?? "";
    expect(body).toContain(PLAN_MARKER);
    expect(body).toContain("needs 1 approval from @\u200bacme/security: 0 so far; waiting for 1");
    expect(body).toContain("**Reviewers:** grantops asked @\u200bacme/security to review.");
    expect(body).not.toContain("dave");
    const asked = () => github.requests.filter((r) => r.path.endsWith("/pulls/8/requested_reviewers"));
    expect(asked().map((r) => r.body)).toEqual([{ reviewers: [], team_reviewers: ["security"] }]);
    const check = github.requests.find((r) => r.method === "POST" && r.path.endsWith("/check-runs"));
    expect(check?.body).toMatchObject({ head_sha: fixedHead, conclusion: "success" });
    expect(JSON.stringify(check?.body)).toContain("landed by a direct push");

    // A review arrives (pull_request_review): the same command refreshes the comment; nobody is asked twice.
    github.reviews.push(
      {
        id: 1,
        login: "erin-gh",
        state: "APPROVED",
        commitId: fixedHead,
        submittedAt: "2026-11-26T10:00:00Z",
      },
      { id: 2, login: "sam-gh", state: "APPROVED", commitId: fixedHead, submittedAt: "2026-11-26T10:05:00Z" },
    );
    const second = await cli(["--pr", "8"], env);
    expect(second.code).toBe(0);
    expect(github.comments).toHaveLength(1);
    const refreshed = github.comments[0]?.body ?? "";
    expect(refreshed).toContain("needs 1 approval from @\u200bacme/security: met (sam-gh)");
    expect(refreshed).toContain("**Status:** approved if merged now");
    expect(refreshed).toContain("**Reviewers:** grantops asked @\u200bacme/security to review.");
    expect(asked()).toHaveLength(1);
    expect(memberChecks).toBeGreaterThan(0);
  });

  it("rejects a bad --pr", async () => {
    const run = await cli(["--pr", "seven"]);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain("--pr seven");
  });
});
