// Response bodies shaped like GitHub's real ones, built from the payloads in @octokit/webhooks-examples.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

interface WebhookExample {
  name: string;
  examples: Array<Record<string, unknown>>;
}

const examples = require("@octokit/webhooks-examples") as WebhookExample[];

function example(name: string, key: string): Record<string, unknown> {
  const found = examples.find((e) => e.name === name)?.examples[0]?.[key];
  if (typeof found !== "object" || found === null) throw new Error(`no ${name}.${key} example`);
  return structuredClone(found) as Record<string, unknown>;
}

const baseUser = (example("pull_request", "pull_request").user ?? {}) as Record<string, unknown>;

export const API = "https://api.github.com";
export const OWNER = "acme";
export const REPO = "grants";

export function userJson(login: string, type: "User" | "Bot" = login.endsWith("[bot]") ? "Bot" : "User") {
  return {
    ...baseUser,
    login,
    type,
    url: `${API}/users/${encodeURIComponent(login)}`,
    html_url: `https://github.com/${login}`,
  };
}

export interface PullSpec {
  number: number;
  author: string;
  headSha: string;
  mergedAt: string | null;
  mergeCommitSha: string | null;
}

export function pullJson(spec: PullSpec) {
  const pull = example("pull_request", "pull_request");
  const head = pull.head as Record<string, unknown>;
  return {
    ...pull,
    number: spec.number,
    url: `${API}/repos/${OWNER}/${REPO}/pulls/${spec.number}`,
    state: spec.mergedAt === null ? "open" : "closed",
    user: userJson(spec.author),
    head: { ...head, sha: spec.headSha },
    merged_at: spec.mergedAt,
    closed_at: spec.mergedAt,
    merge_commit_sha: spec.mergeCommitSha,
  };
}

export interface ReviewSpec {
  id: number;
  login: string;
  type?: "User" | "Bot";
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED";
  commitId: string;
  submittedAt: string;
}

export function reviewJson(spec: ReviewSpec) {
  const review = example("pull_request_review", "review");
  return {
    ...review,
    id: spec.id,
    user: userJson(spec.login, spec.type),
    state: spec.state,
    commit_id: spec.commitId,
    submitted_at: spec.submittedAt,
  };
}

export function membershipJson(login: string, state: "active" | "pending") {
  return { url: `${API}/organizations/1/team/1/memberships/${login}`, role: "member", state };
}

export function commitJson(sha: string, authorLogin: string | null) {
  return {
    sha,
    node_id: "C_kwDOAAAAAdoAKDA",
    url: `${API}/repos/${OWNER}/${REPO}/commits/${sha}`,
    commit: {
      author: { name: "Someone", email: "someone@example.com", date: "2026-11-26T09:00:00Z" },
      committer: { name: "GitHub", email: "noreply@github.com", date: "2026-11-26T09:00:00Z" },
      message: "add grant",
    },
    author: authorLogin === null ? null : userJson(authorLogin),
    committer: userJson("web-flow"),
    parents: [],
    files: [],
  };
}

export function issueCommentJson(
  id: number,
  body: string,
  login = "grantops[bot]",
  createdAt = "2026-11-26T09:00:00Z",
) {
  const comment = example("issue_comment", "comment");
  return {
    ...comment,
    id,
    body,
    user: userJson(login),
    created_at: createdAt,
    updated_at: createdAt,
    url: `${API}/repos/${OWNER}/${REPO}/issues/comments/${id}`,
  };
}

export function checkRunJson(id: number, body: Record<string, unknown>) {
  const run = example("check_run", "check_run");
  return { ...run, ...body, id, url: `${API}/repos/${OWNER}/${REPO}/check-runs/${id}` };
}

/** A logger that records messages by level (and never prints). */
export function recordingLogger() {
  const lines: Array<{ level: string; message: string }> = [];
  const at = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
