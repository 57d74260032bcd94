// `grantops audit`: intervals from the journal (what grantops did and when), cross-checked with the rules in
// Secure Access (what is live, --live), filtered by the query, then told why and by whom from git history
// (the requests and approvals).
import { stat } from "node:fs/promises";
import { buildIntervals } from "../core/audit/audit-intervals.js";
import { mergeLiveRules } from "../core/audit/audit-live.js";
import { filterIntervals } from "../core/audit/audit-filter.js";
import { enrichIntervals } from "../core/audit/audit-enrich.js";
import { InvalidInputError } from "../core/model/grantops-error.js";
import { openRepository, type OpenedRepository } from "../git/open-repository.js";
import { readJournal } from "../reconcile/journal.js";
import { readAuditPolicy } from "./read-audit-policy.js";
import { readLiveRules } from "./read-live-rules.js";
import { inferVersions } from "./infer-versions.js";
import { readVersionFacts, type VersionRef } from "./read-version-facts.js";
import type { AccessInterval, AuditQuery } from "../core/audit/audit-types.js";
import type { Organization } from "../core/model/generated/policy-file.js";
import type { SecureAccessApi } from "../core/model/secure-access-types.js";

export interface AuditOptions {
  /** Absolute path of the journal. */
  journalPath: string;
  /** The grants repository (local path or URL), or null to audit without git. */
  repo: string | null;
  ref?: string;
  cacheDir: string;
  /** Base for a relative repository path. */
  cwd: string;
  policyPath: string;
  rulePrefix: string;
  /** List the rules of the policy's organizations (needs a repository for the policy). */
  live: boolean;
  query: AuditQuery;
  now: Date;
}

export interface AuditDeps {
  apiFor: (alias: string, organization: Organization) => SecureAccessApi;
  warn: (message: string) => void;
}

export async function runAudit(options: AuditOptions, deps: AuditDeps): Promise<AccessInterval[]> {
  if (options.live && options.repo === null) {
    throw new InvalidInputError(
      "audit-no-repo",
      "--live needs the repository (for policy.yaml): pass --repo",
    );
  }
  const journalFound = await exists(options.journalPath);
  if (!journalFound && !options.live) {
    throw new InvalidInputError(
      "journal-missing",
      `journal not found: ${options.journalPath} (pass --journal, or --live to audit what is live now)`,
    );
  }
  if (!journalFound) deps.warn(`journal not found: ${options.journalPath}; auditing the live rules only`);
  const entries = await readJournal(options.journalPath, { onWarning: deps.warn });
  let intervals = buildIntervals(entries);
  const repo = options.repo === null ? null : await open(options, options.repo);
  if (repo !== null && options.live) intervals = await withLiveRules(intervals, repo, options, deps);
  intervals = filterIntervals(intervals, options.query);
  return repo === null ? intervals : withGitFacts(intervals, repo);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}

function open(options: AuditOptions, repo: string): Promise<OpenedRepository> {
  return openRepository({
    repo,
    cacheDir: options.cacheDir,
    cwd: options.cwd,
    ...(options.ref === undefined ? {} : { ref: options.ref }),
  });
}

async function withLiveRules(
  intervals: AccessInterval[],
  repo: OpenedRepository,
  options: AuditOptions,
  deps: AuditDeps,
): Promise<AccessInterval[]> {
  const policy = await readAuditPolicy(repo.dir, repo.commit, options.policyPath, options.now);
  const known = new Set(
    intervals.flatMap((interval) =>
      interval.ruleId === null ? [] : [`${interval.organization}\0${interval.ruleId}`],
    ),
  );
  const live = await readLiveRules({
    organizations: policy.organizations,
    apiFor: deps.apiFor,
    rulePrefix: options.rulePrefix,
    known,
  });
  return mergeLiveRules(intervals, live.rules, live.checked);
}

async function withGitFacts(intervals: AccessInterval[], repo: OpenedRepository): Promise<AccessInterval[]> {
  const versioned = await inferVersions(repo.dir, repo.commit, intervals);
  const refs: VersionRef[] = versioned.flatMap((interval) =>
    interval.version === null || interval.grantId === null
      ? []
      : [{ commit: interval.version, grantId: interval.grantId }],
  );
  return enrichIntervals(versioned, await readVersionFacts(repo.dir, refs));
}
