import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createOctokit } from "../../src/github/create-octokit.js";
import {
  breakGlassNotice,
  commentOnPullRequest,
  unverifiedApprovalNotice,
} from "../../src/github/notify-pull-request.js";
import { OWNER, REPO, recordingLogger } from "./github-fixtures.js";
import { servePullRequest } from "./pull-request-world.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const octokit = createOctokit({ token: "t", logger: recordingLogger(), retries: 0, throttle: false });
const SHA = "abcdef0123456789abcdef0123456789abcdef01";

describe("commentOnPullRequest", () => {
  it("posts an unverified-approval notice once per sha", async () => {
    const { comments } = servePullRequest(server, 7);
    const notice = unverifiedApprovalNotice({
      sha: SHA,
      grants: [
        { grantId: "sre/bob-prod-db", reason: "needs 2 approvals from @acme/sre-leads; got 1 (bob-gh)" },
      ],
    });
    const first = await commentOnPullRequest({ octokit, owner: OWNER, repo: REPO, pullNumber: 7, ...notice });
    const again = await commentOnPullRequest({ octokit, owner: OWNER, repo: REPO, pullNumber: 7, ...notice });
    expect(first.created).toBe(true);
    expect(again).toEqual({ commentId: first.commentId, created: false });
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain(`<!-- grantops:notice:unverified:${SHA} -->`);
    expect(comments[0]?.body).toContain(
      "- `sre/bob-prod-db`: needs 2 approvals from @\u200bacme/sre-leads; got 1 (bob-gh)",
    );
    const other = unverifiedApprovalNotice({
      sha: "f".repeat(40),
      grants: [{ grantId: "a/b", reason: "r" }],
    });
    expect(
      (await commentOnPullRequest({ octokit, owner: OWNER, repo: REPO, pullNumber: 7, ...other })).created,
    ).toBe(true);
    expect(comments).toHaveLength(2);
  });

  it("mentions breakGlass.notify teams and logins in a break-glass notice", async () => {
    const { comments } = servePullRequest(server, 7);
    const notice = breakGlassNotice({
      grantId: "sre/olga-prod-db",
      commit: SHA,
      requester: "oncall-olga",
      expiresAt: "2026-11-26T10:00:00Z",
      notify: ["@acme/security", "sec-sam"],
    });
    await commentOnPullRequest({ octokit, owner: OWNER, repo: REPO, pullNumber: 7, ...notice });
    expect(comments[0]?.body).toContain("@acme/security @sec-sam: please review.");
    expect(comments[0]?.body).toContain("(requested by @oncall-olga), until 2026-11-26T10:00:00Z");
  });

  it("without a key, always posts", async () => {
    const { comments } = servePullRequest(server, 7);
    await commentOnPullRequest({ octokit, owner: OWNER, repo: REPO, pullNumber: 7, body: "hello" });
    await commentOnPullRequest({ octokit, owner: OWNER, repo: REPO, pullNumber: 7, body: "hello" });
    expect(comments.map((c) => c.body)).toEqual(["hello", "hello"]);
  });
});
