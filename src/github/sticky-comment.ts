import type { Octokit } from "@octokit/rest";
import { githubCall, githubRequest } from "./github-api-error.js";
import { GITHUB_TEXT_LIMIT, truncateMarkdown } from "./truncate-markdown.js";

export const PLAN_MARKER = "<!-- grantops:plan -->";
export const STATUS_START = "<!-- grantops:status:start -->";
export const STATUS_END = "<!-- grantops:status:end -->";
export const PLAN_TRUNCATED_POINTER = "… truncated; see the grantops check for the full plan";

export interface PullRequestTarget {
  octokit: Octokit;
  owner: string;
  repo: string;
  pullNumber: number;
}

/** The pull request a comment call is about, picked out of a larger options object. */
export function pullRequestTarget(source: PullRequestTarget): PullRequestTarget {
  return { octokit: source.octokit, owner: source.owner, repo: source.repo, pullNumber: source.pullNumber };
}

export interface StickyComment {
  id: number;
  body: string;
}

/** The two parts of the sticky comment: the plan and the grant status block (markers included, or ""). */
export interface StickyParts {
  plan: string;
  status: string;
}

/**
 * The issue comment carrying `marker` that grantops itself wrote, or null. grantops writes as a bot account (a
 * GitHub App or the Actions token) or as the user of a personal token: the newest marked comment by a bot wins;
 * without one, the newest marked comment by the token's own login (`GET /user`; an App or Actions token cannot
 * read it, and then no user comment counts). A comment by anyone else is never taken, so a requester who pastes
 * the marker into a comment of their own cannot take over grantops' comment (its status block, its record of the
 * reviewers asked): grantops writes a new comment instead.
 */
export async function findMarkedComment(
  target: PullRequestTarget,
  marker: string,
): Promise<StickyComment | null> {
  const { octokit, owner, repo, pullNumber } = target;
  const listed = await githubRequest(`listing the comments of pull request #${pullNumber}`, () =>
    octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: pullNumber,
      per_page: 100,
    }),
  );
  const marked = listed
    .filter((comment) => comment.body?.includes(marker) === true)
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id);
  const byBot = marked.filter((comment) => comment.user?.type === "Bot").at(-1);
  const newest = byBot ?? (marked.length === 0 ? undefined : await newestByOwnLogin(octokit, marked));
  return newest ? { id: newest.id, body: newest.body ?? "" } : null;
}

async function newestByOwnLogin<T extends { user?: { login: string } | null }>(
  octokit: Octokit,
  comments: readonly T[],
): Promise<T | undefined> {
  const login = await ownLogin(octokit);
  if (login === null) return undefined;
  return comments.filter((comment) => comment.user?.login === login).at(-1);
}

/** The login behind a personal token, or null for a token that is not a user's (App installation, Actions). */
async function ownLogin(octokit: Octokit): Promise<string | null> {
  const result = await githubCall(
    "reading the login of the GitHub token",
    () => octokit.rest.users.getAuthenticated(),
    [401, 403, 404],
  );
  return result.ok ? result.value.data.login : null;
}

/** Splits a sticky comment body into its plan and status parts. */
export function parseSticky(body: string): StickyParts {
  const afterMarker = body.includes(PLAN_MARKER)
    ? body.slice(body.indexOf(PLAN_MARKER) + PLAN_MARKER.length)
    : body;
  const start = afterMarker.indexOf(STATUS_START);
  const end = afterMarker.indexOf(STATUS_END, start);
  if (start < 0 || end < 0) return { plan: afterMarker.trim(), status: "" };
  return {
    plan: afterMarker.slice(0, start).trim(),
    status: afterMarker.slice(start, end + STATUS_END.length),
  };
}

/** The sticky comment body: marker, plan (truncated with a pointer to the check run), then the status block. */
export function composeSticky(parts: StickyParts): string {
  const statusPart = parts.status === "" ? "" : `\n\n${parts.status}`;
  const budget = GITHUB_TEXT_LIMIT - PLAN_MARKER.length - 1 - statusPart.length;
  return `${PLAN_MARKER}\n${truncateMarkdown(parts.plan, Math.max(0, budget), PLAN_TRUNCATED_POINTER)}${statusPart}`;
}

/** Creates or updates the sticky comment; an update that changes nothing sends no request. */
export async function writeMarkedComment(
  target: PullRequestTarget,
  existing: StickyComment | null,
  body: string,
): Promise<number> {
  const { octokit, owner, repo, pullNumber } = target;
  if (existing === null) {
    const created = await githubRequest(`commenting on pull request #${pullNumber}`, () =>
      octokit.rest.issues.createComment({ owner, repo, issue_number: pullNumber, body }),
    );
    return created.data.id;
  }
  if (existing.body === body) return existing.id;
  await githubRequest(`updating comment ${existing.id} on pull request #${pullNumber}`, () =>
    octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body }),
  );
  return existing.id;
}

/**
 * Reads the pull request's sticky plan comment (none reads as empty parts), replaces its parts with what `change`
 * makes of them, and writes it back (creating it when there is none). Returns the comment's id.
 */
export async function updateSticky(
  target: PullRequestTarget,
  change: (parts: StickyParts) => StickyParts,
): Promise<number> {
  const existing = await findMarkedComment(target, PLAN_MARKER);
  const parts = parseSticky(existing?.body ?? "");
  return writeMarkedComment(target, existing, composeSticky(change(parts)));
}
