import { setupServer } from "msw/node";
import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Octokit } from "@octokit/rest";
import { requestReviewers } from "../../src/github/request-reviewers.js";
import { API, OWNER, REPO } from "./github-fixtures.js";

const msw = setupServer();
beforeAll(() => msw.listen({ onUnhandledRequest: "error" }));
afterEach(() => msw.resetHandlers());
afterAll(() => msw.close());

const target = {
  octokit: new Octokit({ baseUrl: API, retry: { enabled: false } }),
  owner: OWNER,
  repo: REPO,
  pullNumber: 4,
};
const url = `${API}/repos/${OWNER}/${REPO}/pulls/4/requested_reviewers`;

describe("requestReviewers", () => {
  it("asks teams of the repository's organization and users, never the PR author", async () => {
    const bodies: unknown[] = [];
    msw.use(
      http.post(url, async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json({}, { status: 201 });
      }),
    );
    const result = await requestReviewers(
      target,
      [`@${OWNER}/sre-leads`, "@other-org/x", "Erin-GH", "lee"],
      "erin-gh",
    );
    expect(bodies).toEqual([{ reviewers: ["lee"], team_reviewers: ["sre-leads"] }]);
    expect(result).toEqual({ asked: [`@${OWNER}/sre-leads`, "lee"], failure: null });
  });

  it("sends nothing when nobody is left to ask", async () => {
    expect(await requestReviewers(target, ["erin-gh"], "erin-gh")).toEqual({ asked: [], failure: null });
  });

  it("reports GitHub's refusal (a team without access) instead of failing the comment", async () => {
    msw.use(
      http.post(url, () =>
        HttpResponse.json({ message: "Reviews may only be requested from collaborators." }, { status: 422 }),
      ),
    );
    const result = await requestReviewers(target, [`@${OWNER}/security`], "erin-gh");
    expect(result.asked).toEqual([]);
    expect(result.failure).toMatch(/HTTP 422/);
  });
});
