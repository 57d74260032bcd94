import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Grant, PolicyFile, ResolvedVersion } from "../../src/core/model/types.js";
import { createOctokit } from "../../src/github/create-octokit.js";
import { GitHubApiError } from "../../src/github/github-api-error.js";
import { GitHubApprovalVerifier } from "../../src/github/github-approval-verifier.js";
import { API, OWNER, REPO, recordingLogger, type ReviewSpec } from "./github-fixtures.js";
import { serveWorld, type World } from "./github-world.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const HOUR = 3_600_000;
const LANDED = "2026-11-26T09:00:00Z";
const COMMIT = "1111111111111111111111111111111111111111";
const HEAD = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const OLD_HEAD = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

const policy: PolicyFile = {
  version: 1,
  organizations: { acme: { orgId: 8094936, credentials: "ACME" } },
  defaults: { maxDuration: "8h", approvals: 1, approvers: ["@acme/security"] },
  resources: [
    {
      match: { name: "prod-*" },
      maxDuration: "4h",
      approvals: 2,
      approvers: ["@acme/sre-leads"],
      autoApprove: { maxDuration: "1h", requesters: ["@acme/sre"] },
    },
    { match: { name: "payroll-db" }, deny: true },
  ],
  breakGlass: { maxDuration: "1h", requesters: ["@acme/oncall"], notify: ["@acme/security"] },
  people: { "alice-gh": "alice@example.com", "bob-gh": "bob@example.com", "carol-gh": "carol@example.com" },
};

const teams: World["teams"] = {
  "acme/security": ["sec-sam", "sec-sue", "carol-gh"],
  "acme/sre-leads": ["lead-lee", "lead-liu", "bob-gh", "alice-gh", "carol-gh", "dependabot[bot]"],
  "acme/sre": ["sre-sid", "bob-gh"],
  "acme/oncall": ["oncall-olga"],
  "pending:acme/security": ["new-nia"],
};

function grant(overrides: Partial<Grant> = {}): Grant {
  return {
    id: "payments/alice-jira",
    file: "grants/payments/alice-jira.yaml",
    users: ["alice@example.com"],
    groups: [],
    resources: ["Jira"],
    organization: "acme",
    reason: "CHG-1234: investigate failed payments import",
    durationMs: 4 * HOUR,
    expiresAt: null,
    startsAt: null,
    ticket: "CHG-1234",
    breakGlass: false,
    positions: { users: [{ line: 2, column: 8 }], groups: [], resources: [{ line: 3, column: 13 }] },
    ...overrides,
  };
}

/** A version whose users and resources were not resolved (the verifier sees them as written). */
function version(g: Grant, commit = COMMIT): ResolvedVersion {
  return {
    grant: g,
    commit,
    landedAt: LANDED,
    blob: "f".repeat(40),
    resolvedUsers: g.users.map(() => null),
    resolvedGroups: g.groups.map(() => null),
    resolvedResources: g.resources.map(() => null),
    problems: [],
  };
}

function merged(author: string, number = 7) {
  return { number, author, headSha: HEAD, mergedAt: "2026-11-26T08:59:00Z", mergeCommitSha: COMMIT };
}

let reviewId = 100;
function review(login: string, state: ReviewSpec["state"], commitId = HEAD, minute = 10): ReviewSpec {
  reviewId += 1;
  return {
    id: reviewId,
    login,
    state,
    commitId,
    submittedAt: `2026-11-26T08:${String(minute).padStart(2, "0")}:00Z`,
  };
}

function setup(world: { commits?: World["commits"]; reviews?: ReviewSpec[]; hiddenTeams?: string[] }) {
  const log = serveWorld(server, {
    commits: world.commits ?? { [COMMIT]: { pulls: [merged("alice-gh")] } },
    reviews: { 7: world.reviews ?? [] },
    teams,
    ...(world.hiddenTeams === undefined ? {} : { hiddenTeams: world.hiddenTeams }),
  });
  const logger = recordingLogger();
  const octokit = createOctokit({ token: "ghp_testtoken", logger, retries: 1, retryAfterBaseMs: 1 });
  return { log, verifier: new GitHubApprovalVerifier({ octokit, owner: OWNER, repo: REPO, logger }) };
}

const prodGrant = (overrides: Partial<Grant> = {}) =>
  grant({
    id: "sre/carol-prod-db",
    users: ["carol@example.com"],
    resources: ["prod-db"],
    durationMs: 2 * HOUR,
    ...overrides,
  });

describe("GitHubApprovalVerifier: reviews", () => {
  const cases: Array<{
    name: string;
    grant: Grant;
    author?: string;
    reviews: ReviewSpec[];
    expected: Record<string, unknown>;
  }> = [
    {
      name: "one approval from a security member → approved",
      grant: grant(),
      reviews: [review("sec-sam", "APPROVED")],
      expected: { status: "approved", mode: "review", approvers: ["sec-sam"], pr: 7, requester: "alice-gh" },
    },
    {
      name: "an approval of an older head commit is not counted",
      grant: grant(),
      reviews: [review("sec-sam", "APPROVED", OLD_HEAD)],
      expected: {
        status: "unverified",
        reason: "needs 1 approval from @acme/security; got 0; ignored: sec-sam (approved an older commit)",
        pr: 7,
        requester: "alice-gh",
      },
    },
    {
      name: "CHANGES_REQUESTED after APPROVED cancels the approval",
      grant: grant(),
      reviews: [review("sec-sam", "APPROVED", HEAD, 10), review("sec-sam", "CHANGES_REQUESTED", HEAD, 20)],
      expected: {
        status: "unverified",
        reason: "needs 1 approval from @acme/security; got 0; ignored: sec-sam (changes requested)",
      },
    },
    {
      name: "APPROVED after CHANGES_REQUESTED counts",
      grant: grant(),
      reviews: [review("sec-sam", "CHANGES_REQUESTED", OLD_HEAD, 5), review("sec-sam", "APPROVED", HEAD, 20)],
      expected: { status: "approved", mode: "review", approvers: ["sec-sam"] },
    },
    {
      name: "a comment after an approval leaves it in place (as on GitHub)",
      grant: grant(),
      reviews: [review("sec-sam", "APPROVED", HEAD, 10), review("sec-sam", "COMMENTED", HEAD, 20)],
      expected: { status: "approved", mode: "review", approvers: ["sec-sam"] },
    },
    {
      name: "a dismissed approval does not count",
      grant: grant(),
      reviews: [review("sec-sam", "APPROVED", HEAD, 10), review("sec-sam", "DISMISSED", HEAD, 20)],
      expected: {
        status: "unverified",
        reason: "needs 1 approval from @acme/security; got 0; ignored: sec-sam (approval dismissed)",
      },
    },
    {
      name: "author, bot and grantee approvals are ignored with reasons (prod-* needs 2 from @acme/sre-leads)",
      grant: prodGrant(),
      reviews: [
        review("alice-gh", "APPROVED"),
        review("carol-gh", "APPROVED"),
        review("dependabot[bot]", "APPROVED"),
        review("bob-gh", "APPROVED"),
      ],
      expected: {
        status: "unverified",
        reason:
          "needs 2 approvals from @acme/sre-leads; got 1 (bob-gh); ignored: alice-gh (PR author), carol-gh (grantee), dependabot[bot] (bot)",
        pr: 7,
        requester: "alice-gh",
      },
    },
    {
      name: "a bot is recognised by user.type even without the [bot] suffix",
      grant: grant(),
      reviews: [{ ...review("renovate-app", "APPROVED"), type: "Bot" }],
      expected: {
        status: "unverified",
        reason: "needs 1 approval from @acme/security; got 0; ignored: renovate-app (bot)",
      },
    },
    {
      name: "prod-* with 2 approvals from @acme/sre-leads → approved",
      grant: prodGrant(),
      reviews: [review("lead-lee", "APPROVED"), review("lead-liu", "APPROVED")],
      expected: { status: "approved", mode: "review", approvers: ["lead-lee", "lead-liu"] },
    },
    {
      name: "security approvals do not count for prod-*",
      grant: prodGrant(),
      reviews: [review("sec-sam", "APPROVED"), review("lead-lee", "APPROVED")],
      expected: {
        status: "unverified",
        reason:
          "needs 2 approvals from @acme/sre-leads; got 1 (lead-lee); ignored: sec-sam (not in @acme/sre-leads)",
      },
    },
    {
      name: "team membership 404 means not a member; pending is not a member either",
      grant: grant(),
      reviews: [review("outsider-otto", "APPROVED"), review("new-nia", "APPROVED")],
      expected: {
        status: "unverified",
        reason:
          "needs 1 approval from @acme/security; got 0; ignored: new-nia (not in @acme/security), outsider-otto (not in @acme/security)",
      },
    },
    {
      name: "a grant of Jira and prod-db must meet both requirements",
      grant: grant({ resources: ["Jira", "prod-db"], durationMs: 2 * HOUR }),
      reviews: [review("lead-lee", "APPROVED"), review("lead-liu", "APPROVED")],
      expected: {
        status: "unverified",
        reason:
          "needs 1 approval from @acme/security; got 0; ignored: lead-lee (not in @acme/security), lead-liu (not in @acme/security)",
      },
    },
    {
      name: "auto-approve: prod-db within 1h by an @acme/sre member needs no review",
      grant: prodGrant({ durationMs: HOUR }),
      author: "sre-sid",
      reviews: [],
      expected: { status: "approved", mode: "auto", approvers: [], pr: 7, requester: "sre-sid" },
    },
    {
      name: "auto-approve does not apply over 1h",
      grant: prodGrant({ durationMs: 2 * HOUR }),
      author: "sre-sid",
      reviews: [],
      expected: {
        status: "unverified",
        reason: "needs 2 approvals from @acme/sre-leads; got 0",
        requester: "sre-sid",
      },
    },
    {
      name: "auto-approve does not apply to requesters outside @acme/sre",
      grant: prodGrant({ durationMs: HOUR }),
      author: "alice-gh",
      reviews: [],
      expected: { status: "unverified", reason: "needs 2 approvals from @acme/sre-leads; got 0" },
    },
    {
      name: "break-glass: self-merge by oncall within 1h → approved break-glass",
      grant: prodGrant({ durationMs: HOUR, breakGlass: true }),
      author: "oncall-olga",
      reviews: [],
      expected: { status: "approved", mode: "break-glass", approvers: [], pr: 7, requester: "oncall-olga" },
    },
    {
      name: "break-glass over 1h is not granted",
      grant: prodGrant({ durationMs: 2 * HOUR, breakGlass: true }),
      author: "oncall-olga",
      reviews: [],
      expected: {
        status: "unverified",
        reason:
          "needs 2 approvals from @acme/sre-leads; got 0; break-glass not allowed: lasts 2h, over the 1h cap",
      },
    },
    {
      name: "break-glass by someone outside @acme/oncall is not granted",
      grant: grant({ durationMs: HOUR, breakGlass: true }),
      author: "alice-gh",
      reviews: [],
      expected: {
        status: "unverified",
        reason:
          "needs 1 approval from @acme/security; got 0; break-glass not allowed: alice-gh is not in @acme/oncall",
      },
    },
    {
      name: "the span counts from startsAt when given",
      grant: prodGrant({ durationMs: HOUR, startsAt: "2026-11-27T09:00:00Z" }),
      author: "sre-sid",
      reviews: [],
      expected: { status: "approved", mode: "auto" },
    },
    {
      name: "expiresAt counts from the landing time",
      grant: prodGrant({ durationMs: null, expiresAt: "2026-11-26T10:30:00Z" }),
      author: "sre-sid",
      reviews: [],
      expected: { status: "unverified", reason: "needs 2 approvals from @acme/sre-leads; got 0" },
    },
    {
      name: "a denied resource is rejected whatever the reviews",
      grant: grant({ resources: ["payroll-db"] }),
      reviews: [review("sec-sam", "APPROVED")],
      expected: {
        status: "rejected",
        reason: "payroll-db is never grantable through grantops (policy deny)",
        pr: 7,
        requester: "alice-gh",
      },
    },
    {
      name: "a grant over the policy cap is rejected",
      grant: prodGrant({ durationMs: 5 * HOUR }),
      reviews: [review("lead-lee", "APPROVED"), review("lead-liu", "APPROVED")],
      expected: { status: "rejected", reason: "lasts 5h, over the policy cap of 4h" },
    },
  ];

  it.each(cases)("$name", async ({ grant: g, author, reviews, expected }) => {
    const { verifier } = setup({ commits: { [COMMIT]: { pulls: [merged(author ?? "alice-gh")] } }, reviews });
    const approval = await verifier.verify(version(g), policy);
    expect(approval).toMatchObject(expected);
  });
});

describe("GitHubApprovalVerifier: resolved versions", () => {
  it("recognises a grantee written as {id} through the resolved identity labels", async () => {
    const { verifier } = setup({ reviews: [review("carol-gh", "APPROVED")] });
    const g = grant({ users: [{ id: 1173502977 }], resources: ["Jira"] });
    const approval = await verifier.verify(
      {
        ...version(g),
        resolvedUsers: [{ identityId: 1173502977, label: "carol@example.com", display: "carol@example.com" }],
      },
      policy,
    );
    expect(approval).toMatchObject({
      status: "unverified",
      reason: "needs 1 approval from @acme/security; got 0; ignored: carol-gh (grantee)",
    });
  });

  it("applies name rules to a resource written as {id} once resolved (prod-* needs 2 sre-leads)", async () => {
    const { verifier } = setup({ reviews: [review("sec-sam", "APPROVED")] });
    const g = grant({ resources: [{ id: 183457 }] });
    const approval = await verifier.verify(
      { ...version(g), resolvedResources: [{ name: "prod-db", resourceId: 183457 }] },
      policy,
    );
    expect(approval).toMatchObject({
      status: "unverified",
      reason: "needs 2 approvals from @acme/sre-leads; got 0; ignored: sec-sam (not in @acme/sre-leads)",
    });
  });
});

describe("GitHubApprovalVerifier: landing", () => {
  it("a direct push is rejected, with the commit author as requester", async () => {
    const { verifier, log } = setup({ commits: { [COMMIT]: { pulls: [], author: "alice-gh" } } });
    expect(await verifier.verify(version(grant()), policy)).toEqual({
      status: "rejected",
      reason: "landed by a direct push, not a merged pull request",
      pr: null,
      requester: "alice-gh",
    });
    expect(log).toEqual([
      `GET /repos/acme/grants/commits/${COMMIT}/pulls`,
      `GET /repos/acme/grants/commits/${COMMIT}`,
    ]);
  });

  it("an open PR containing the commit does not make it a merged PR", async () => {
    const open = { number: 9, author: "alice-gh", headSha: HEAD, mergedAt: null, mergeCommitSha: null };
    const { verifier } = setup({ commits: { [COMMIT]: { pulls: [open], author: "mallory-gh" } } });
    expect(await verifier.verify(version(grant()), policy)).toMatchObject({
      status: "rejected",
      pr: null,
      requester: "mallory-gh",
    });
  });

  it("break-glass by oncall applies to a direct push within 1h", async () => {
    const { verifier } = setup({ commits: { [COMMIT]: { pulls: [], author: "oncall-olga" } } });
    const approval = await verifier.verify(
      version(prodGrant({ durationMs: HOUR, breakGlass: true })),
      policy,
    );
    expect(approval).toEqual({
      status: "approved",
      mode: "break-glass",
      approvers: [],
      pr: null,
      requester: "oncall-olga",
    });
  });

  it("a direct push of a break-glass grant over 1h says why break-glass did not apply", async () => {
    const { verifier } = setup({ commits: { [COMMIT]: { pulls: [], author: "oncall-olga" } } });
    const approval = await verifier.verify(
      version(prodGrant({ durationMs: 2 * HOUR, breakGlass: true })),
      policy,
    );
    expect(approval).toMatchObject({
      status: "rejected",
      reason:
        "landed by a direct push, not a merged pull request; break-glass not allowed: lasts 2h, over the 1h cap",
    });
  });

  it("prefers the merged PR whose merge commit is the commit over others listing it", async () => {
    const later = {
      number: 12,
      author: "bob-gh",
      headSha: OLD_HEAD,
      mergedAt: "2026-11-26T07:00:00Z",
      mergeCommitSha: "c".repeat(40),
    };
    const { verifier } = setup({
      commits: { [COMMIT]: { pulls: [later, merged("alice-gh")] } },
      reviews: [review("sec-sam", "APPROVED")],
    });
    expect(await verifier.verify(version(grant()), policy)).toMatchObject({ status: "approved", pr: 7 });
  });

  it("falls back to the earliest merged PR listing the commit (rebase merge)", async () => {
    const first = {
      number: 7,
      author: "alice-gh",
      headSha: HEAD,
      mergedAt: "2026-11-26T08:00:00Z",
      mergeCommitSha: "d".repeat(40),
    };
    const second = {
      number: 8,
      author: "bob-gh",
      headSha: OLD_HEAD,
      mergedAt: "2026-11-26T08:30:00Z",
      mergeCommitSha: "e".repeat(40),
    };
    const { verifier } = setup({
      commits: { [COMMIT]: { pulls: [second, first] } },
      reviews: [review("sec-sam", "APPROVED")],
    });
    expect(await verifier.verify(version(grant()), policy)).toMatchObject({
      status: "approved",
      pr: 7,
      requester: "alice-gh",
    });
  });

  it("an unknown commit (404) is rejected with the reason", async () => {
    const { verifier } = setup({ commits: {} });
    expect(await verifier.verify(version(grant(), "9".repeat(40)), policy)).toEqual({
      status: "rejected",
      reason: "commit 999999999999 was not found in acme/grants (HTTP 404)",
      pr: null,
      requester: null,
    });
  });

  it("reads every page of reviews", async () => {
    const { verifier } = setup({});
    const reviewsUrl = `${API}/repos/${OWNER}/${REPO}/pulls/7/reviews`;
    const pages: Record<string, unknown[]> = {
      "1": Array.from({ length: 100 }, (_, i) => review(`commenter-${i}`, "COMMENTED")),
      "2": [review("sec-sam", "APPROVED")],
    };
    const { reviewJson } = await import("./github-fixtures.js");
    server.use(
      http.get(reviewsUrl, ({ request }) => {
        const page = new URL(request.url).searchParams.get("page") ?? "1";
        const headers =
          page === "1" ? { link: `<${reviewsUrl}?per_page=100&page=2>; rel="next"` } : undefined;
        return HttpResponse.json((pages[page] as ReviewSpec[]).map(reviewJson), { headers });
      }),
    );
    expect(await verifier.verify(version(grant()), policy)).toMatchObject({
      status: "approved",
      approvers: ["sec-sam"],
    });
  });
});

describe("GitHubApprovalVerifier: caching and failures", () => {
  it("a second verify of the same commit makes no requests; memberships are cached", async () => {
    const { verifier, log } = setup({ reviews: [review("sec-sam", "APPROVED")] });
    const first = await verifier.verify(version(grant()), policy);
    const requests = log.length;
    expect(requests).toBe(3);
    const again = await verifier.verify(version(grant()), policy);
    const sibling = await verifier.verify(version(grant({ id: "payments/alice-jira-2" })), policy);
    expect(again).toEqual(first);
    expect(sibling).toEqual(first);
    expect(log.length).toBe(requests);
  });

  it("GitHub 500s throw once the retries are spent (an unreadable state is never 'unapproved')", async () => {
    const { verifier } = setup({});
    let calls = 0;
    server.use(
      http.get(`${API}/repos/${OWNER}/${REPO}/commits/:sha/pulls`, () => {
        calls += 1;
        return HttpResponse.json({ message: "Server Error" }, { status: 500 });
      }),
    );
    const failure = await verifier.verify(version(grant()), policy).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GitHubApiError);
    expect(failure).toMatchObject({ code: "github-api", status: 500 });
    expect(calls).toBe(2);
  });

  it("a failed membership lookup throws instead of counting the reviewer out, and is not cached", async () => {
    const { verifier } = setup({ reviews: [review("sec-sam", "APPROVED")] });
    server.use(
      http.get(
        `${API}/orgs/acme/teams/security/memberships/sec-sam`,
        () => HttpResponse.json({ message: "Bad credentials" }, { status: 401 }),
        { once: true },
      ),
    );
    await expect(verifier.verify(version(grant()), policy)).rejects.toMatchObject({
      code: "github-api",
      status: 401,
    });
    expect(await verifier.verify(version(grant()), policy)).toMatchObject({ status: "approved" });
  });

  it("a token that may not read the team (403, as the Actions GITHUB_TOKEN) says so instead of 'not approved'", async () => {
    const { verifier } = setup({ reviews: [review("lead-lee", "APPROVED"), review("lead-liu", "APPROVED")] });
    server.use(
      http.get(`${API}/orgs/acme/teams/:team/memberships/:user`, () =>
        HttpResponse.json({ message: "Resource not accessible by integration" }, { status: 403 }),
      ),
    );
    expect(await verifier.verify(version(prodGrant()), policy)).toEqual({
      status: "unverified",
      reason: "cannot read @acme/sre-leads membership with this token: configure the GitHub App",
      pr: 7,
      requester: "alice-gh",
    });
  });

  it("a team the token cannot see (404 for the team too) is unreadable, not 'no member approved'", async () => {
    const { verifier, log } = setup({
      reviews: [review("lead-lee", "APPROVED"), review("lead-liu", "APPROVED")],
      hiddenTeams: ["acme/sre-leads", "acme/sre"],
    });
    expect(await verifier.verify(version(prodGrant()), policy)).toMatchObject({
      status: "unverified",
      reason: "cannot read @acme/sre-leads membership with this token: configure the GitHub App",
    });
    expect(log.filter((line) => line === "GET /orgs/acme/teams/sre-leads")).toHaveLength(1);
  });

  it("a 404 membership in a visible team is still 'not a member'", async () => {
    const { verifier } = setup({ reviews: [review("sec-sam", "APPROVED")] });
    const approval = await verifier.verify(version(prodGrant()), policy);
    expect(approval.status).toBe("unverified");
    expect(approval.status === "approved" ? "" : approval.reason).toMatch(
      /^needs 2 approvals from @acme\/sre-leads; got 0; ignored: sec-sam \(not in @acme\/sre-leads\)/,
    );
  });

  it("network failures throw", async () => {
    const { verifier } = setup({});
    server.use(http.get(`${API}/repos/${OWNER}/${REPO}/commits/:sha/pulls`, () => HttpResponse.error()));
    await expect(verifier.verify(version(grant()), policy)).rejects.toBeInstanceOf(GitHubApiError);
  });
});

describe("GitHubApprovalVerifier: grants with groups (docs/github.md, Groups and self-approval)", () => {
  // Grafana allows groups (1 approval) and has an auto-approve rule, to show it does not apply to groups.
  const groupPolicy: PolicyFile = {
    ...policy,
    resources: [
      ...(policy.resources ?? []),
      {
        match: { name: "Grafana" },
        approvers: ["@acme/security"],
        autoApprove: { maxDuration: "1h", requesters: ["@acme/sre"] },
      },
    ],
  };
  const groupGrant = (overrides: Partial<Grant> = {}) =>
    grant({ id: "ops/oncall-jira", groups: ["oncall-sre"], positions: grant().positions, ...overrides });
  const extra = " (one more than the policy asks: the grant names groups)";

  it.each<{ name: string; grant: Grant; author?: string; reviews: ReviewSpec[]; expected: object }>([
    {
      name: "one approval where the policy asks one is not enough",
      grant: groupGrant(),
      reviews: [review("sec-sam", "APPROVED")],
      expected: {
        status: "unverified",
        reason: `needs 2 approvals from @acme/security${extra}; got 1 (sec-sam)`,
      },
    },
    {
      name: "two distinct qualified approvers are",
      grant: groupGrant(),
      reviews: [review("sec-sam", "APPROVED"), review("sec-sue", "APPROVED")],
      expected: { status: "approved", mode: "review", approvers: ["sec-sam", "sec-sue"] },
    },
    {
      name: "the PR author's own approval never counts toward the extra one",
      grant: groupGrant(),
      author: "carol-gh",
      reviews: [review("carol-gh", "APPROVED"), review("sec-sam", "APPROVED")],
      expected: {
        status: "unverified",
        reason: `needs 2 approvals from @acme/security${extra}; got 1 (sec-sam); ignored: carol-gh (PR author)`,
      },
    },
    {
      name: "a named grantee's approval does not count either",
      grant: groupGrant({ users: ["carol@example.com"] }),
      reviews: [review("carol-gh", "APPROVED"), review("sec-sam", "APPROVED")],
      expected: {
        status: "unverified",
        reason: `needs 2 approvals from @acme/security${extra}; got 1 (sec-sam); ignored: carol-gh (grantee)`,
      },
    },
    {
      name: "auto-approve does not apply to a grant with groups",
      grant: groupGrant({ resources: ["Grafana"], durationMs: HOUR }),
      author: "sre-sid",
      reviews: [],
      expected: { status: "unverified", reason: `needs 2 approvals from @acme/security${extra}; got 0` },
    },
    {
      name: "break-glass with groups is refused",
      grant: groupGrant({ durationMs: HOUR, breakGlass: true }),
      author: "oncall-olga",
      reviews: [],
      expected: { status: "rejected", reason: "break-glass grants name users only: this grant names groups" },
    },
    {
      name: "groups on a resource whose rule requires 2 approvals are refused (default allowGroups)",
      grant: groupGrant({ resources: ["prod-db"], durationMs: HOUR }),
      reviews: [review("lead-lee", "APPROVED"), review("lead-liu", "APPROVED"), review("bob-gh", "APPROVED")],
      expected: {
        status: "rejected",
        reason:
          "groups are not allowed for prod-db (the policy's allowGroups; by default groups are forbidden where 2 or more approvals are required)",
      },
    },
  ])("$name", async ({ grant: g, author, reviews, expected }) => {
    const { verifier } = setup({ commits: { [COMMIT]: { pulls: [merged(author ?? "alice-gh")] } }, reviews });
    expect(await verifier.verify(version(g), groupPolicy)).toMatchObject(expected);
  });

  it("the same grant without groups is auto-approved (the control for the case above)", async () => {
    const { verifier } = setup({ commits: { [COMMIT]: { pulls: [merged("sre-sid")] } }, reviews: [] });
    const g = grant({ resources: ["Grafana"], durationMs: HOUR });
    expect(await verifier.verify(version(g), groupPolicy)).toMatchObject({
      status: "approved",
      mode: "auto",
    });
  });

  it("the live tally for the PR comment asks for the extra approval and says why", async () => {
    const { verifier } = setup({ reviews: [review("sec-sam", "APPROVED")] });
    const live = await verifier.verifyAsIfMerged(version(groupGrant()), groupPolicy, merged("alice-gh"));
    expect(live.tallies).toEqual([
      { approvals: 2, approvers: ["@acme/security"], qualified: ["sec-sam"], groupExtra: true },
    ]);
  });
});
