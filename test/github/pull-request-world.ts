// A fake of GitHub's issue comments, check runs, reviews and review requests for one pull request, served by msw.
import { http, HttpResponse } from "msw";
import type { SetupServer } from "msw/node";
import {
  API,
  OWNER,
  REPO,
  checkRunJson,
  issueCommentJson,
  reviewJson,
  type ReviewSpec,
} from "./github-fixtures.js";

export interface StoredComment {
  id: number;
  body: string;
  login: string;
  createdAt: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
}

export function servePullRequest(server: SetupServer, pullNumber: number, comments: StoredComment[] = []) {
  const requests: RecordedRequest[] = [];
  /** The PR's reviews (push to add one). */
  const reviews: ReviewSpec[] = [];
  let nextId = 5000;
  const record = async (request: Request) => {
    const body =
      request.method === "GET" ? null : ((await request.clone().json()) as Record<string, unknown>);
    requests.push({ method: request.method, path: new URL(request.url).pathname, body });
    return body ?? {};
  };
  const repo = `${API}/repos/${OWNER}/${REPO}`;
  server.use(
    http.get(`${repo}/issues/${pullNumber}/comments`, async ({ request }) => {
      await record(request);
      return HttpResponse.json(comments.map((c) => issueCommentJson(c.id, c.body, c.login, c.createdAt)));
    }),
    http.post(`${repo}/issues/${pullNumber}/comments`, async ({ request }) => {
      const body = await record(request);
      const comment = {
        id: nextId++,
        body: String(body.body),
        login: "grantops[bot]",
        createdAt: "2026-11-26T10:00:00Z",
      };
      comments.push(comment);
      return HttpResponse.json(issueCommentJson(comment.id, comment.body), { status: 201 });
    }),
    http.patch(`${repo}/issues/comments/:id`, async ({ request, params }) => {
      const body = await record(request);
      const comment = comments.find((c) => c.id === Number(params.id));
      if (!comment) return HttpResponse.json({ message: "Not Found" }, { status: 404 });
      comment.body = String(body.body);
      return HttpResponse.json(issueCommentJson(comment.id, comment.body, comment.login, comment.createdAt));
    }),
    http.get(`${repo}/pulls/${pullNumber}/reviews`, () => HttpResponse.json(reviews.map(reviewJson))),
    http.post(`${repo}/pulls/${pullNumber}/requested_reviewers`, async ({ request }) => {
      await record(request);
      return HttpResponse.json({ number: pullNumber }, { status: 201 });
    }),
    http.post(`${repo}/check-runs`, async ({ request }) => {
      const body = await record(request);
      return HttpResponse.json(checkRunJson(900, body), { status: 201 });
    }),
    http.patch(`${repo}/check-runs/:id`, async ({ request, params }) => {
      const body = await record(request);
      return HttpResponse.json(checkRunJson(Number(params.id), body));
    }),
  );
  return { requests, comments, reviews };
}
