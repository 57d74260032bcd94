import { setupServer } from "msw/node";
import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PLAN_MARKER } from "../../src/github/sticky-comment.js";
import { API, OWNER, REPO, commitJson, pullJson } from "../github/github-fixtures.js";
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
    expect(run.stdout).toContain("## grantops: plan of pull request #7");
    expect(run.stdout).toContain(`\`${head.slice(0, 12)}\``);
    expect(run.stdout).toMatch(/\| create \| `grantops-t-erin-wiki-[0-9a-f]{6}` \|/);
    expect(run.stdout).toContain("pending");
    expect(run.stderr).toContain("grants/t/bob-broken.yaml:4:9: error:");
    expect(world.managed().has("t/erin-wiki")).toBe(false);
  });

  it("exits 0 for a valid pull request (a plan with changes is normal)", async () => {
    const run = await cli(["--pr", "8", "--head-sha", fixedHead, "--base", "main"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Plan: 2 to create, 0 to delete.");
    expect(run.stdout).toContain("Files changed by this pull request: no problems.");
  });

  it("with GitHub: reads the head and base from the pull request, publishes the comment and the check", async () => {
    const github = servePullRequest(msw, 7);
    msw.use(
      http.get(`${API}/repos/${OWNER}/${REPO}/pulls/7`, () =>
        HttpResponse.json({
          ...pullJson({ number: 7, author: "erin-gh", headSha: head, mergedAt: null, mergeCommitSha: null }),
          base: { ref: "main", sha: "0".repeat(40) },
        }),
      ),
      // dave's grant on main was pushed directly: no merged PR (the GitHub verifier rejects it).
      http.get(`${API}/repos/${OWNER}/${REPO}/commits/:sha/pulls`, () => HttpResponse.json([])),
      http.get(`${API}/repos/${OWNER}/${REPO}/commits/:sha`, ({ params }) =>
        HttpResponse.json(commitJson(String(params["sha"]), "dave-gh")),
      ),
    );
    const run = await cli(["--pr", "7"], {
      GRANTOPS_GITHUB_TOKEN: "ghs_test",
      GRANTOPS_GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    });
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(/^published the plan of pull request #7 \(failure\): Plan: 1 to create/);
    expect(github.comments[0]?.body).toContain("landed by a direct push");
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).toContain(PLAN_MARKER);
    const check = github.requests.find((r) => r.method === "POST" && r.path.endsWith("/check-runs"));
    expect(check?.body).toMatchObject({ head_sha: head, conclusion: "failure" });
  });

  it("rejects a bad --pr", async () => {
    const run = await cli(["--pr", "seven"]);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain("--pr seven");
  });
});
