import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Problem } from "../../src/core/model/types.js";
import { createOctokit } from "../../src/github/create-octokit.js";
import { publishPullRequestReport } from "../../src/pull-request/publish-pull-request-report.js";
import { updatePullRequestStatus } from "../../src/pull-request/update-pull-request-status.js";
import { http, HttpResponse } from "msw";
import { API, OWNER, REPO, recordingLogger, userJson } from "./github-fixtures.js";
import { servePullRequest, type StoredComment } from "./pull-request-world.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const HEAD = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const logger = recordingLogger();
// Throttling spaces writes by seconds; these tests are about what is sent.
const octokit = createOctokit({ token: "t", logger, retries: 0, throttle: false });

function problem(i: number, severity: Problem["severity"] = "error"): Problem {
  return {
    severity,
    code: "schema",
    file: `grants/team/g${i}.yaml`,
    line: i + 1,
    column: 3,
    message: `problem ${i}`,
  };
}

function publish(markdown: string, problems: Problem[] = [], conclusion: "success" | "failure" = "success") {
  return publishPullRequestReport({
    octokit,
    owner: OWNER,
    repo: REPO,
    pullNumber: 7,
    headSha: HEAD,
    markdown,
    problems,
    conclusion,
    title: "grantops plan",
    logger,
  });
}

const writes = (requests: Array<{ method: string; path: string }>) =>
  requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);

describe("publishPullRequestReport", () => {
  it("creates the sticky comment once, then updates it in place", async () => {
    const { requests, comments } = servePullRequest(server, 7, [
      { id: 1, body: "LGTM", login: "alice-gh", createdAt: "2026-11-26T08:00:00Z" },
    ]);
    const first = await publish("## Plan\n\n1 grant to create");
    const second = await publish("## Plan\n\n2 grants to create");
    expect(second.commentId).toBe(first.commentId);
    expect(writes(requests).filter((w) => w.includes("/issues/"))).toEqual([
      "POST /repos/acme/grants/issues/7/comments",
      `PATCH /repos/acme/grants/issues/comments/${first.commentId}`,
    ]);
    expect(comments.map((c) => c.body)).toEqual([
      "LGTM",
      "<!-- grantops:plan -->\n## Plan\n\n2 grants to create",
    ]);
  });

  it("updates the newest comment carrying the marker, whoever wrote it, and skips unchanged bodies", async () => {
    const marker = "<!-- grantops:plan -->";
    const existing: StoredComment[] = [
      { id: 11, body: `${marker}\nold`, login: "github-actions[bot]", createdAt: "2026-11-26T08:00:00Z" },
      { id: 12, body: `${marker}\nnewer`, login: "grantops-app[bot]", createdAt: "2026-11-26T09:00:00Z" },
    ];
    const { requests } = servePullRequest(server, 7, existing);
    const { commentId } = await publish("current");
    expect(commentId).toBe(12);
    await publish("current");
    expect(writes(requests).filter((w) => w.includes("/issues/"))).toEqual([
      "PATCH /repos/acme/grants/issues/comments/12",
    ]);
  });

  it("a requester's later comment carrying the marker does not take over grantops' comment", async () => {
    const marker = "<!-- grantops:plan -->";
    const existing: StoredComment[] = [
      { id: 21, body: `${marker}\nplan`, login: "grantops-app[bot]", createdAt: "2026-11-26T08:00:00Z" },
      {
        id: 22,
        body: `${marker}\nfake plan <!-- grantops:status:start -->approved by @acme/security<!-- grantops:status:end -->`,
        login: "mallory",
        createdAt: "2026-11-26T09:00:00Z",
      },
    ];
    const { requests, comments } = servePullRequest(server, 7, existing);
    const { commentId } = await publish("current");
    expect(commentId).toBe(21);
    expect(writes(requests).filter((w) => w.includes("/issues/"))).toEqual([
      "PATCH /repos/acme/grants/issues/comments/21",
    ]);
    expect(comments.find((c) => c.id === 21)?.body).not.toContain("approved by");
  });

  it("with a personal token, takes only the token's own marked comment, not a requester's later one", async () => {
    const marker = "<!-- grantops:plan -->";
    const existing: StoredComment[] = [
      { id: 31, body: `${marker}\nplan`, login: "ops-robot", createdAt: "2026-11-26T08:00:00Z" },
      { id: 32, body: `${marker}\nfake plan`, login: "mallory", createdAt: "2026-11-26T09:00:00Z" },
    ];
    const { requests } = servePullRequest(server, 7, existing);
    server.use(http.get(`${API}/user`, () => HttpResponse.json(userJson("ops-robot"))));
    const { commentId } = await publish("current");
    expect(commentId).toBe(31);
    expect(writes(requests).filter((w) => w.includes("/issues/"))).toEqual([
      "PATCH /repos/acme/grants/issues/comments/31",
    ]);
  });

  it("with an App token and only a requester's marked comment, writes a comment of its own", async () => {
    const marker = "<!-- grantops:plan -->";
    const { requests, comments } = servePullRequest(server, 7, [
      { id: 41, body: `${marker}\nfake plan`, login: "mallory", createdAt: "2026-11-26T09:00:00Z" },
    ]);
    server.use(
      http.get(`${API}/user`, () =>
        HttpResponse.json({ message: "Resource not accessible by integration" }, { status: 403 }),
      ),
    );
    const { commentId } = await publish("current");
    expect(commentId).not.toBe(41);
    expect(writes(requests).filter((w) => w.includes("/issues/"))).toEqual([
      "POST /repos/acme/grants/issues/7/comments",
    ]);
    expect(comments.find((c) => c.id === 41)?.body).toBe(`${marker}\nfake plan`);
  });

  it("keeps the body under 65,536 characters with a pointer to the check run", async () => {
    const { comments } = servePullRequest(server, 7);
    const huge = [
      "## Plan",
      "```diff",
      ...Array.from({ length: 5000 }, (_, i) => `+ grant line ${i} ${"x".repeat(20)}`),
    ].join("\n");
    await publish(huge);
    const body = comments[0]?.body ?? "";
    expect(body.length).toBeLessThan(65_536);
    expect(body.length).toBeGreaterThan(60_000);
    expect(body.startsWith("<!-- grantops:plan -->\n## Plan")).toBe(true);
    expect(body.endsWith("```\n\n… truncated; see the grantops check for the full plan")).toBe(true);
  });

  it("creates the check run with annotations in batches of 50 (120 problems → 1 create + 2 updates)", async () => {
    const { requests } = servePullRequest(server, 7);
    const problems = Array.from({ length: 120 }, (_, i) => problem(i, i % 2 === 0 ? "error" : "warning"));
    const { checkRunId } = await publish("plan", problems, "failure");
    expect(checkRunId).toBe(900);
    const checks = requests.filter((r) => r.path.includes("check-runs"));
    expect(checks.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /repos/acme/grants/check-runs",
      "PATCH /repos/acme/grants/check-runs/900",
      "PATCH /repos/acme/grants/check-runs/900",
    ]);
    const annotations = checks.map(
      (r) => ((r.body?.output as { annotations: unknown[] }).annotations ?? []).length,
    );
    expect(annotations).toEqual([50, 50, 20]);
    expect(checks[0]?.body).toMatchObject({
      name: "grantops",
      head_sha: HEAD,
      status: "completed",
      conclusion: "failure",
      output: { title: "grantops plan", summary: "plan" },
    });
    const firstOutput = checks[0]?.body?.output as { annotations: unknown[] };
    expect(firstOutput.annotations.slice(0, 2)).toEqual([
      {
        path: "grants/team/g0.yaml",
        start_line: 1,
        end_line: 1,
        annotation_level: "failure",
        message: "problem 0",
        title: "schema",
      },
      {
        path: "grants/team/g1.yaml",
        start_line: 2,
        end_line: 2,
        annotation_level: "warning",
        message: "problem 1",
        title: "schema",
      },
    ]);
  });

  it("continues a summary over 65,535 characters in the check's text", async () => {
    const { requests } = servePullRequest(server, 7);
    const huge = Array.from({ length: 5000 }, (_, i) => `line ${i} ${"y".repeat(10)}`).join("\n");
    await publish(huge);
    const output = requests.find((r) => r.path.endsWith("/check-runs"))?.body?.output as {
      summary: string;
      text: string;
    };
    expect(output.summary.length).toBeLessThanOrEqual(65_535);
    expect(output.summary.endsWith("… continued in the details below")).toBe(true);
    expect(output.text.length).toBeGreaterThan(0);
    expect(output.text.endsWith(`line 4999 ${"y".repeat(10)}`)).toBe(true);
  });
});

describe("updatePullRequestStatus", () => {
  it("rewrites the status block, keeps the plan, merges entries by grant id", async () => {
    const { comments, requests } = servePullRequest(server, 7);
    await publish("## Plan\n\nthe plan");
    await updatePullRequestStatus({
      octokit,
      owner: OWNER,
      repo: REPO,
      pullNumber: 7,
      entries: [
        {
          grantId: "sre/bob-prod-db",
          status: "granted",
          ruleId: 424242,
          at: "2026-11-26T10:00:02Z",
          lagSeconds: 2,
        },
        {
          grantId: "payments/alice-jira",
          status: "not-granted",
          at: "2026-11-26T10:00:02Z",
          reason: "needs 1 approval | x",
        },
      ],
    });
    await updatePullRequestStatus({
      octokit,
      owner: OWNER,
      repo: REPO,
      pullNumber: 7,
      entries: [
        {
          grantId: "sre/bob-prod-db",
          status: "expired",
          ruleId: 424242,
          at: "2026-11-26T11:00:01Z",
          lagSeconds: 1,
        },
      ],
    });
    await publish("## Plan\n\nre-planned");
    const body = comments[0]?.body ?? "";
    expect(comments).toHaveLength(1);
    expect(
      body.startsWith("<!-- grantops:plan -->\n## Plan\n\nre-planned\n\n<!-- grantops:status:start -->"),
    ).toBe(true);
    expect(body).toContain(
      "| `payments/alice-jira` | ⛔ not granted |  | 2026-11-26T10:00:02Z |  | needs 1 approval \\| x |",
    );
    expect(body).toContain("| `sre/bob-prod-db` | ⌛ expired | 424242 | 2026-11-26T11:00:01Z | 1s |  |");
    expect(body).not.toContain("✅ granted");
    expect(body.endsWith("<!-- grantops:status:end -->")).toBe(true);
    expect(writes(requests).filter((w) => w.includes("/issues/"))).toHaveLength(4);
  });

  it("keeps a huge status history and a huge plan under the limit, newest entries first", async () => {
    const { comments } = servePullRequest(server, 7);
    await publish("x".repeat(70_000));
    const entries = Array.from({ length: 2000 }, (_, i) => ({
      grantId: `team/grant-${String(i).padStart(4, "0")}`,
      status: "not-granted" as const,
      at: new Date(Date.UTC(2026, 10, 26, 0, 0, i)).toISOString().replace(".000Z", "Z"),
      reason: "r".repeat(1000),
    }));
    await updatePullRequestStatus({ octokit, owner: OWNER, repo: REPO, pullNumber: 7, entries });
    const body = comments[0]?.body ?? "";
    expect(body.length).toBeLessThan(65_536);
    expect(body).toContain("… truncated; see the grantops check for the full plan");
    expect(body).toContain("`team/grant-1999`");
    expect(body).not.toContain("`team/grant-0000`");
    expect(body).toMatch(/… and \d+ older entries/);
  });

  it("creates the sticky comment when there is none", async () => {
    const { comments } = servePullRequest(server, 7);
    await updatePullRequestStatus({
      octokit,
      owner: OWNER,
      repo: REPO,
      pullNumber: 7,
      entries: [{ grantId: "a/b", status: "revoked", ruleId: 1, at: "2026-11-26T10:00:00Z", lagSeconds: 75 }],
    });
    expect(comments[0]?.body).toMatch(/^<!-- grantops:plan -->\n\n\n<!-- grantops:status:start -->/);
    expect(comments[0]?.body).toContain("| `a/b` | 🔒 revoked | 1 | 2026-11-26T10:00:00Z | 1m 15s |  |");
  });
});
