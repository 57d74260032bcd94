// Pull request plans in serve: startServe with the real handlers, the emulator, a bare file:// remote holding
// refs/pull/7/head, signed pull_request webhooks, and GitHub faked with msw (anything else but loopback is an error).
import { setupServer } from "msw/node";
import { pino } from "pino";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOctokit } from "../../src/github/create-octokit.js";
import { PLAN_MARKER } from "../../src/github/sticky-comment.js";
import { TrustGitVerifier } from "../../src/git/trust-git-verifier.js";
import { createMetrics } from "../../src/observability/create-metrics.js";
import { createMemoryJournal } from "../../src/reconcile/journal.js";
import { readServeConfig } from "../../src/daemon/read-serve-config.js";
import { startServe, type ServeHandle } from "../../src/daemon/serve.js";
import { createServeHandlers } from "../../src/daemon/run/create-serve-handlers.js";
import { createSecureAccessClient } from "../../src/secure-access/create-secure-access-client.js";
import { demoApiKey, demoApiSecret } from "../../src/emulator/default-seed.js";
import { http, HttpResponse } from "msw";
import { API, OWNER, REPO, membershipJson, pullJson, recordingLogger } from "../github/github-fixtures.js";
import { servePullRequest } from "../github/pull-request-world.js";
import {
  WEBHOOK_SECRET,
  createServeWorld,
  deliver,
  examplePayload,
  grantYaml,
  waitFor,
  type ServeWorld,
} from "./serve-world.js";

const msw = setupServer();
let world: ServeWorld;
let handle: ServeHandle;
let github: ReturnType<typeof servePullRequest>;
/** The head GitHub reports for pull request 7 (the last one pushed). */
let currentHead = "0".repeat(40);

const loopback = new Set(["127.0.0.1", "localhost", "[::1]"]);

beforeAll(async () => {
  msw.listen({
    onUnhandledRequest(request, print) {
      if (!loopback.has(new URL(request.url).hostname)) print.error();
    },
  });
  github = servePullRequest(msw, 7);
  msw.use(
    http.get(`${API}/repos/${OWNER}/${REPO}/pulls/7`, () =>
      HttpResponse.json(
        pullJson({
          number: 7,
          author: "erin-gh",
          headSha: currentHead,
          mergedAt: null,
          mergeCommitSha: null,
        }),
      ),
    ),
    http.get(`${API}/orgs/acme/teams/security/memberships/:login`, ({ params }) =>
      params["login"] === "sam-gh"
        ? HttpResponse.json(membershipJson("sam-gh", "active"))
        : HttpResponse.json({ message: "Not Found" }, { status: 404 }),
    ),
  );
  world = await createServeWorld();
  await world.push({ "grants/e2e/dave-grafana.yaml": grantYaml(["dave@example.com"], ["Grafana"], "1h") });
  const logger = pino({ level: "silent" });
  const registry = new Registry();
  const metrics = createMetrics(registry);
  const cacheDir = await world.work.tempDir();
  const config = readServeConfig(
    { repo: world.url, port: 0, interval: "1h", trustGit: true },
    { GRANTOPS_WEBHOOK_SECRET: WEBHOOK_SECRET, GRANTOPS_GITHUB_REPOSITORY: `${OWNER}/${REPO}` },
    () => "",
  );
  const api = createSecureAccessClient({
    baseUrl: world.emulator.url,
    apiKey: demoApiKey,
    apiSecret: demoApiSecret,
  });
  const handlers = createServeHandlers(
    {
      repo: world.url,
      branch: undefined,
      cacheDir: `${cacheDir}/runs`,
      prCacheDir: `${cacheDir}/pulls`,
      policyPath: "policy.yaml",
      rulePrefix: "grantops-",
      limits: { maxDeletes: 25, allowMassDelete: false, allowEmpty: false },
    },
    {
      clock: () => new Date(),
      logger,
      journal: createMemoryJournal(),
      verifier: new TrustGitVerifier(),
      apiFor: () => api,
      metrics,
      github: {
        // Throttling spaces comment writes by seconds; this test is about what is sent.
        octokit: createOctokit({
          token: "test-token",
          logger: recordingLogger(),
          retries: 0,
          throttle: false,
        }),
        owner: OWNER,
        repo: REPO,
        logger: recordingLogger(),
      },
    },
  );
  handle = await startServe(config, { ...handlers, logger, metrics, registry, clock: () => new Date() });
  await waitFor(() => world.managed().has("e2e/dave-grafana"), 15_000, "startup run");
});

afterAll(async () => {
  await handle?.close();
  await world?.close();
  msw.close();
});

/** Commits `files` on branch pr-7 (from main) and publishes it as refs/pull/7/head on the remote. */
async function pushPullRequest(files: Record<string, string>): Promise<string> {
  const git = world.work.git;
  const branches = await git.raw(["branch", "--list", "pr-7"]);
  await git.raw(["checkout", "--quiet", ...(branches.trim() === "" ? ["-b", "pr-7"] : ["pr-7"])]);
  for (const [path, text] of Object.entries(files)) await world.work.write(path, text);
  const sha = await world.work.commit("pull request 7", new Date().toISOString());
  await git.raw(["push", "--quiet", "--force", world.bare, "pr-7:refs/pull/7/head"]);
  await git.raw(["checkout", "--quiet", "main"]);
  currentHead = sha;
  return sha;
}

function reviewPayload(headSha: string): Record<string, unknown> {
  return examplePayload("pull_request_review", (p) => p["action"] === "submitted", {
    "pull_request.number": 7,
    "pull_request.head.sha": headSha,
    "pull_request.base.ref": "main",
    "repository.full_name": `${OWNER}/${REPO}`,
    "repository.default_branch": "main",
  });
}

function pullRequestPayload(action: string, headSha: string): Record<string, unknown> {
  return examplePayload("pull_request", (p) => p["action"] === action, {
    number: 7,
    "pull_request.number": 7,
    "pull_request.head.sha": headSha,
    "pull_request.base.ref": "main",
    "repository.full_name": `${OWNER}/${REPO}`,
    "repository.default_branch": "main",
  });
}

const writes = (kind: RegExp) => github.requests.filter((r) => r.method !== "GET" && kind.test(r.path));
const BROKEN = [
  "version: 1",
  "users: [bob@example.com]",
  "resources: [Wiki]",
  "reason: short",
  "duration: 4h",
  "",
];

describe("serve plans pull requests", () => {
  it("opened: one sticky comment with the plan and a failing check annotating the broken file", async () => {
    const head = await pushPullRequest({
      "grants/e2e/erin-wiki.yaml": grantYaml(["erin@example.com"], ["Wiki"], "2h"),
      "grants/e2e/bob-broken.yaml": BROKEN.join("\n"),
    });
    expect(await deliver(handle.url, "pull_request", pullRequestPayload("opened", head))).toBe(202);
    await waitFor(() => writes(/check-runs$/).length === 1, 15_000, "check run");
    const comments = writes(/\/issues\/7\/comments$/);
    expect(comments).toHaveLength(1);
    const body = String(comments[0]?.body?.["body"]);
    expect(body).toContain(PLAN_MARKER);
    expect(body).toContain("## grantops: pull request #7");
    expect(body).toMatch(
      /^- \*\*Creates\*\* `grantops-e2e-erin-wiki-[0-9a-f]{6}`: erin@example\.com → Wiki/m,
    );
    expect(body).toContain("needs 1 approval from @\u200bacme/security: 0 so far; waiting for 1");
    expect(body).toContain("grants/e2e/bob-broken.yaml:4:");
    // dave's grant (on main, not in this PR) is only counted in the collapsed summary.
    expect(body).not.toContain("dave");
    expect(body).toContain("**Reviewers:** grantops asked @\u200bacme/security to review.");
    expect(writes(/\/pulls\/7\/requested_reviewers$/).map((r) => r.body)).toEqual([
      { reviewers: [], team_reviewers: ["security"] },
    ]);
    const check = writes(/check-runs$/)[0]?.body ?? {};
    expect(check).toMatchObject({
      name: "grantops",
      head_sha: head,
      status: "completed",
      conclusion: "failure",
    });
    const annotations = (check["output"] as { annotations: Array<Record<string, unknown>> }).annotations;
    expect(annotations.some((a) => a["path"] === "grants/e2e/bob-broken.yaml" && a["start_line"] === 4)).toBe(
      true,
    );
    // Read-only: the plan created nothing.
    expect(world.managed().has("e2e/erin-wiki")).toBe(false);
  });

  it("synchronize: the same comment is updated, and the check passes once the file is fixed", async () => {
    const head = await pushPullRequest({
      "grants/e2e/bob-broken.yaml": grantYaml(["bob@example.com"], ["Wiki"], "4h"),
    });
    expect(await deliver(handle.url, "pull_request", pullRequestPayload("synchronize", head))).toBe(202);
    await waitFor(() => writes(/check-runs$/).length === 2, 15_000, "second check run");
    expect(writes(/\/issues\/7\/comments$/)).toHaveLength(1);
    const patches = writes(/\/issues\/comments\/\d+$/);
    expect(patches).toHaveLength(1);
    expect(String(patches[0]?.body?.["body"])).toContain("e2e/bob-broken");
    expect(github.comments).toHaveLength(1);
    expect(writes(/check-runs$/)[1]?.body).toMatchObject({ head_sha: head, conclusion: "success" });
  });

  it("pull_request_review: the comment and check are refreshed with the live approval status", async () => {
    github.reviews.push({
      id: 77,
      login: "sam-gh",
      state: "APPROVED",
      commitId: currentHead,
      submittedAt: "2026-11-26T10:00:00Z",
    });
    expect(await deliver(handle.url, "pull_request_review", reviewPayload(currentHead))).toBe(202);
    await waitFor(() => writes(/check-runs$/).length === 3, 15_000, "third check run");
    const patches = writes(/\/issues\/comments\/\d+$/);
    const body = String(patches.at(-1)?.body?.["body"]);
    expect(body).toContain("needs 1 approval from @\u200bacme/security: met (sam-gh)");
    expect(github.comments).toHaveLength(1);
    // Asked once, on the first plan: never again.
    expect(writes(/\/pulls\/7\/requested_reviewers$/)).toHaveLength(1);
  });
});
