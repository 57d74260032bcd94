import type { Octokit } from "@octokit/rest";
import { githubCall } from "./github-api-error.js";

/** Team memberships are re-read after this long (default), so a long-running server sees removals. */
export const DEFAULT_MEMBERSHIP_TTL_MS = 10 * 60 * 1000;

interface Cached {
  at: number;
  member: Promise<boolean>;
}

export type Principal = { kind: "team"; org: string; team: string } | { kind: "login"; login: string };

/** "@org/team" → a team; anything else ("alice", "@alice") → a login. */
export function parsePrincipal(text: string): Principal {
  const team = /^@([^/\s]+)\/([^/\s]+)$/.exec(text.trim());
  if (team?.[1] && team[2]) return { kind: "team", org: team[1], team: team[2] };
  return { kind: "login", login: text.trim().replace(/^@/, "") };
}

/**
 * Decides whether a GitHub login is among policy principals: logins compare case-insensitively, teams through
 * GET /orgs/{org}/teams/{team_slug}/memberships/{username} (state "active"; 404 = not a member). Memberships are
 * cached per matcher for `ttlMs`; failures are not cached and throw.
 */
export class PrincipalMatcher {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly octokit: Octokit,
    private readonly now: () => Date,
    private readonly ttlMs: number = DEFAULT_MEMBERSHIP_TTL_MS,
  ) {}

  /** The first principal that includes `login`, or null. Logins are checked before any team request. */
  async firstMatch(login: string, principals: readonly string[]): Promise<string | null> {
    const parsed = principals.map((text) => ({ text, principal: parsePrincipal(text) }));
    const byLogin = parsed.find(
      ({ principal }) => principal.kind === "login" && principal.login.toLowerCase() === login.toLowerCase(),
    );
    if (byLogin) return byLogin.text;
    for (const { text, principal } of parsed) {
      if (principal.kind === "team" && (await this.isTeamMember(principal.org, principal.team, login)))
        return text;
    }
    return null;
  }

  async includes(login: string, principals: readonly string[]): Promise<boolean> {
    return (await this.firstMatch(login, principals)) !== null;
  }

  isTeamMember(org: string, team: string, login: string): Promise<boolean> {
    const key = `${org}/${team}/${login}`.toLowerCase();
    const nowMs = this.now().getTime();
    const hit = this.cache.get(key);
    if (hit && nowMs - hit.at < this.ttlMs) return hit.member;
    const member = this.fetchMembership(org, team, login);
    this.cache.set(key, { at: nowMs, member });
    member.catch(() => {
      if (this.cache.get(key)?.member === member) this.cache.delete(key);
    });
    return member;
  }

  private async fetchMembership(org: string, team: string, login: string): Promise<boolean> {
    const result = await githubCall(
      `reading the membership of ${login} in @${org}/${team}`,
      () => this.octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: team, username: login }),
      [404],
    );
    return result.ok && result.value.data.state === "active";
  }
}
