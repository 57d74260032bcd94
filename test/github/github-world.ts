// A declarative fake of the GitHub REST endpoints the approval verifier reads, served by msw.
import { http, HttpResponse } from "msw";
import type { SetupServer } from "msw/node";
import {
  API,
  OWNER,
  REPO,
  commitJson,
  membershipJson,
  pullJson,
  reviewJson,
  type PullSpec,
  type ReviewSpec,
} from "./github-fixtures.js";

export interface CommitSpec {
  pulls: PullSpec[];
  /** GitHub login of the commit author (direct pushes). */
  author?: string | null;
}

export interface World {
  commits: Record<string, CommitSpec>;
  reviews: Record<number, ReviewSpec[]>;
  /** "org/team" → active member logins; "pending:org/team" → pending members. */
  teams: Record<string, string[]>;
  /** "org/team" entries the token cannot see (GitHub answers 404 for the team and every membership). */
  hiddenTeams?: string[];
}

const notFound = () =>
  HttpResponse.json(
    { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" },
    { status: 404 },
  );

/** Installs handlers for the world and returns the log of requests ("GET /path"). */
export function serveWorld(server: SetupServer, world: World): string[] {
  const log: string[] = [];
  const record = (request: Request) => {
    const url = new URL(request.url);
    log.push(`${request.method} ${url.pathname}`);
  };
  const repo = `${API}/repos/${OWNER}/${REPO}`;
  server.use(
    http.get(`${repo}/commits/:sha/pulls`, ({ request, params }) => {
      record(request);
      const commit = world.commits[String(params.sha)];
      return commit ? HttpResponse.json(commit.pulls.map(pullJson)) : notFound();
    }),
    http.get(`${repo}/commits/:sha`, ({ request, params }) => {
      record(request);
      const sha = String(params.sha);
      const commit = world.commits[sha];
      return commit ? HttpResponse.json(commitJson(sha, commit.author ?? null)) : notFound();
    }),
    http.get(`${repo}/pulls/:number/reviews`, ({ request, params }) => {
      record(request);
      return HttpResponse.json((world.reviews[Number(params.number)] ?? []).map(reviewJson));
    }),
    http.get(`${API}/orgs/:org/teams/:team/memberships/:user`, ({ request, params }) => {
      record(request);
      const key = `${String(params.org)}/${String(params.team)}`;
      if (world.hiddenTeams?.includes(key)) return notFound();
      const user = String(params.user);
      if (world.teams[key]?.includes(user)) return HttpResponse.json(membershipJson(user, "active"));
      if (world.teams[`pending:${key}`]?.includes(user))
        return HttpResponse.json(membershipJson(user, "pending"));
      return notFound();
    }),
    http.get(`${API}/orgs/:org/teams/:team`, ({ request, params }) => {
      record(request);
      const key = `${String(params.org)}/${String(params.team)}`;
      if (world.hiddenTeams?.includes(key)) return notFound();
      return HttpResponse.json({ id: 1, slug: String(params.team), name: String(params.team) });
    }),
  );
  return log;
}
