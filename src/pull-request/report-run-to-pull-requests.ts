import type { GrantStatusEntry } from "./render-status-section.js";
import { commentOnPullRequest, unverifiedApprovalNotice } from "../github/notify-pull-request.js";
import { updatePullRequestStatus } from "./update-pull-request-status.js";
import type { GrantVersion } from "../core/model/types.js";
import type { Logger } from "../observability/create-logger.js";
import type { JournalEntry } from "../core/model/journal-entry.js";
import type { RunRecord } from "../reconcile/run-record.js";
import type { GitHubTarget } from "../github/github-target.js";

export interface RunReport {
  github: GitHubTarget;
  /** The record of the run. */
  result: RunRecord;
  logger: Logger;
  /** Notice keys already posted by this process (skips the GitHub lookup on later runs). */
  noticed?: Set<string>;
}

/** What the status updates need from a run record. */
export interface RunFacts {
  /** The journal entries of the run (applied steps). */
  entries: readonly JournalEntry[];
  /** The grant versions of the run, by grant id (their landing commit and time). */
  versions: ReadonlyMap<string, GrantVersion>;
  /** The PR recorded in a rule's marker, when the run read it. */
  prOfRule: (ruleId: number) => number | null;
}

/** The entries, versions and rules' PRs of every organization of a run. */
export function runFacts(result: RunRecord): RunFacts {
  const versions = new Map<string, GrantVersion>();
  const prs = new Map<number, number>();
  for (const org of result.organizations) {
    for (const { version } of org.approvals) versions.set(version.grant.id, version);
    for (const [ruleId, pr] of org.rulePullRequests) prs.set(ruleId, pr);
  }
  return {
    entries: result.organizations.flatMap((org) => org.applied?.entries ?? []),
    versions,
    prOfRule: (ruleId) => prs.get(ruleId) ?? null,
  };
}

/**
 * After a run, tells the pull requests that brought the grants what happened: the status block of each PR's
 * sticky comment (granted, revoked, expired), and a notice for grants whose approval could not be verified
 * (once per landing commit). Best effort: a GitHub failure is logged and never fails the run.
 */
export async function reportRunToPullRequests(report: RunReport): Promise<void> {
  const facts = runFacts(report.result);
  const statuses = statusEntriesByPullRequest(facts);
  for (const [pullNumber, entries] of statuses) {
    await bestEffort(report.logger, `status of pull request #${pullNumber}`, () =>
      updatePullRequestStatus({ ...target(report.github), pullNumber, entries }),
    );
  }
  for (const [pullNumber, notice] of unverifiedNotices(report.result, facts.versions)) {
    const key = `${pullNumber}:${notice.key}`;
    if (report.noticed?.has(key) === true) continue;
    const posted = await bestEffort(report.logger, `unverified notice on pull request #${pullNumber}`, () =>
      commentOnPullRequest({ ...target(report.github), pullNumber, ...notice }),
    );
    if (posted) report.noticed?.add(key);
  }
}

/** Status entries of the applied steps, grouped by the PR of the grant (creates) or of the rule (deletes). */
export function statusEntriesByPullRequest(report: RunFacts): Map<number, GrantStatusEntry[]> {
  const byPull = new Map<number, GrantStatusEntry[]>();
  for (const entry of report.entries) {
    if (entry.outcome !== "ok" || entry.grantId === null) continue;
    const pr = entry.action === "create" ? (entry.pr ?? null) : report.prOfRule(entry.ruleId ?? -1);
    const status = statusOf(entry, report.versions.get(entry.grantId));
    if (pr === null || status === null) continue;
    byPull.set(pr, [...(byPull.get(pr) ?? []), status]);
  }
  return byPull;
}

function statusOf(entry: JournalEntry, version: GrantVersion | undefined): GrantStatusEntry | null {
  const base = {
    grantId: entry.grantId ?? "",
    at: entry.time,
    ...(entry.ruleId === null ? {} : { ruleId: entry.ruleId }),
  };
  if (entry.action === "create") {
    const landed = version === undefined ? NaN : Date.parse(version.landedAt);
    const lag = (Date.parse(entry.time) - landed) / 1000;
    return { ...base, status: "granted", ...(Number.isFinite(lag) ? { lagSeconds: Math.max(0, lag) } : {}) };
  }
  switch (entry.reason) {
    case "expired":
      return {
        ...base,
        status: "expired",
        ...(entry.lagSeconds === null ? {} : { lagSeconds: entry.lagSeconds }),
      };
    case "removed":
      return { ...base, status: "revoked", reason: "the grant file was removed" };
    case "replaced":
      return { ...base, status: "revoked", reason: "replaced by a new version of the grant" };
    default:
      return null;
  }
}

/** One notice per PR for its grants whose approval could not be verified, keyed by the landing commit. */
function unverifiedNotices(
  result: RunRecord,
  versions: ReadonlyMap<string, GrantVersion>,
): Map<number, { key: string; body: string }> {
  const byPull = new Map<number, { sha: string; grants: Array<{ grantId: string; reason: string }> }>();
  for (const org of result.organizations) {
    for (const item of org.plan.unapproved) {
      if (item.pr === null) continue;
      const sha = versions.get(item.grantId)?.commit ?? result.commit;
      const group = byPull.get(item.pr) ?? { sha, grants: [] };
      group.grants.push({ grantId: item.grantId, reason: item.reason });
      byPull.set(item.pr, group);
    }
  }
  return new Map([...byPull].map(([pr, group]) => [pr, unverifiedApprovalNotice(group)]));
}

function target(github: GitHubTarget) {
  return { octokit: github.octokit, owner: github.owner, repo: github.repo };
}

async function bestEffort(logger: Logger, what: string, action: () => Promise<unknown>): Promise<boolean> {
  try {
    await action();
    return true;
  } catch (error) {
    logger.warn({ err: error }, `could not update the ${what}`);
    return false;
  }
}
