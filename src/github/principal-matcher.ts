import type { Octokit } from "@octokit/rest";
import { GitHubApiError, githubCall } from "./github-api-error.js";
import { TeamUnreadableError } from "./team-unreadable-error.js";

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
  private readonly teams = new Map<string, Promise<boolean>>();

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

  /**
   * 403 (not a rate limit) means the token may not read the team; 404 means "not a member" only when the team
   * itself is visible to the token (the Actions GITHUB_TOKEN sees no teams): either way TeamUnreadableError.
   */
  private async fetchMembership(org: string, team: string, login: string): Promise<boolean> {
    const result = await githubCall(
      `reading the membership of ${login} in @${org}/${team}`,
      () => this.octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: team, username: login }),
      [404],
    ).catch((error: unknown) => {
      throw deniedToToken(error) ? new TeamUnreadableError(org, team) : error;
    });
    if (result.ok) return result.value.data.state === "active";
    if (!(await this.teamVisible(org, team))) throw new TeamUnreadableError(org, team);
    return false;
  }

  private teamVisible(org: string, team: string): Promise<boolean> {
    const key = `${org}/${team}`.toLowerCase();
    const hit = this.teams.get(key);
    if (hit) return hit;
    const visible = githubCall(
      `reading the team @${org}/${team}`,
      () => this.octokit.rest.teams.getByName({ org, team_slug: team }),
      [404],
    ).then(
      (result) => result.ok,
      (error: unknown) => {
        if (deniedToToken(error)) return false;
        throw error;
      },
    );
    this.teams.set(key, visible);
    visible.catch(() => this.teams.delete(key));
    return visible;
  }
}

/** A 403 that is about the token's access, not a rate limit. */
function deniedToToken(error: unknown): boolean {
  if (!(error instanceof GitHubApiError) || error.status !== 403) return false;
  const cause = error.cause instanceof Error ? error.cause.message : "";
  return !/rate limit/i.test(cause);
}
