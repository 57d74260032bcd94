import { GrantopsError } from "../core/model/grantops-error.js";

/**
 * The token in use cannot read a team's membership (GitHub answers 403, or 404 for the team itself: the Actions
 * GITHUB_TOKEN has no organization access). The approval stays unverified with this message, never "not a member".
 */
export class TeamUnreadableError extends GrantopsError {
  constructor(org: string, team: string) {
    super(
      "github-team-unreadable",
      `cannot read @${org}/${team} membership with this token: configure the GitHub App`,
    );
    this.name = "TeamUnreadableError";
  }
}
