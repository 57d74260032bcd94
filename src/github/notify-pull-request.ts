import type { Octokit } from "@octokit/rest";
import { inertCode, inertMarkdown } from "../core/report/inert-markdown.js";
import { parsePrincipal } from "./principal-matcher.js";
import { findMarkedComment, writeMarkedComment, pullRequestTarget } from "./sticky-comment.js";
import { GITHUB_TEXT_LIMIT, truncateMarkdown } from "./truncate-markdown.js";

export interface PullRequestComment {
  octokit: Octokit;
  owner: string;
  repo: string;
  pullNumber: number;
  body: string;
  /** Dedupe key: when a comment with this key exists, nothing is posted (re-runs never spam). */
  key?: string;
}

/** A notice to post: its body and its dedupe key. */
export interface Notice {
  key: string;
  body: string;
}

/**
 * Comments on a pull request. With a `key`, the comment carries a hidden marker `<!-- grantops:notice:KEY -->`
 * and is posted only once. Returns the comment id and whether it was created now.
 */
export async function commentOnPullRequest(
  comment: PullRequestComment,
): Promise<{ commentId: number; created: boolean }> {
  const target = pullRequestTarget(comment);
  const marker = comment.key === undefined ? "" : noticeMarker(comment.key);
  const existing = marker === "" ? null : await findMarkedComment(target, marker);
  if (existing !== null) return { commentId: existing.id, created: false };
  const body = marker === "" ? comment.body : `${marker}\n${comment.body}`;
  const commentId = await writeMarkedComment(
    target,
    null,
    truncateMarkdown(body, GITHUB_TEXT_LIMIT, "… truncated"),
  );
  return { commentId, created: true };
}

export function noticeMarker(key: string): string {
  return `<!-- grantops:notice:${key.replace(/[^A-Za-z0-9._:/@-]/g, "_")} -->`;
}

/**
 * The notice for grants of a PR whose approval could not be verified: once per sha (the PR's head, or the commit
 * that landed it).
 */
export function unverifiedApprovalNotice(input: {
  sha: string;
  grants: ReadonlyArray<{ grantId: string; reason: string }>;
}): Notice {
  const lines = input.grants.map((g) => `- ${inertCode(g.grantId)}: ${inertMarkdown(g.reason)}`);
  return {
    key: `unverified:${input.sha}`,
    body: [
      "### ⚠️ grantops: access not granted",
      "",
      `The approval of these grants could not be verified at \`${input.sha.slice(0, 12)}\`, so no access was given:`,
      "",
      ...lines,
      "",
      "A new pull request that changes the grant file, approved as the policy requires, is a new request.",
    ].join("\n"),
  };
}

/** The loud notice of a break-glass grant, @-mentioning the policy's `breakGlass.notify` teams and logins. */
export function breakGlassNotice(input: {
  grantId: string;
  commit: string;
  requester: string | null;
  expiresAt: string;
  notify: readonly string[];
}): Notice {
  const mentions = input.notify.map(mention).join(" ");
  return {
    key: `break-glass:${input.grantId}:${input.commit}`,
    body: [
      "### 🚨 grantops: break-glass access granted",
      "",
      `${inertCode(input.grantId)} was granted without review by break-glass` +
        `${input.requester === null ? "" : ` (requested by ${login(input.requester)})`}, until ${inertMarkdown(input.expiresAt)}.`,
      "",
      mentions === "" ? "No one is listed in the policy's breakGlass.notify." : `${mentions}: please review.`,
    ].join("\n"),
  };
}

/** The pull request's author, mentioned on purpose, but only when it is a GitHub login; anything else is inert. */
function login(name: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/.test(name) ? `@${name}` : inertMarkdown(`@${name}`);
}

function mention(principal: string): string {
  const parsed = parsePrincipal(principal);
  return parsed.kind === "team" ? `@${parsed.org}/${parsed.team}` : `@${parsed.login}`;
}
