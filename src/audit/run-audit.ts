// `grantops audit`: intervals from the journal (what grantops did and when), cross-checked with the rules in
// Secure Access (what is live, --live), filtered by the query, then told why and by whom from git history
// (the requests and approvals).
import { buildIntervals } from "../core/audit/audit-intervals.js";
import { mergeLiveRules } from "../core/audit/audit-live.js";
import { filterIntervals } from "../core/audit/audit-filter.js";
import { enrichIntervals } from "../core/audit/audit-enrich.js";
import { InvalidInputError } from "../core/model/grantops-error.js";
import { openRepository, type OpenedRepository } from "../git/open-repository.js";
import { readAuditJournal, type AuditJournal, type AuditJournalSource } from "./read-audit-journal.js";
import { readAuditPolicy } from "./read-audit-policy.js";
import { readLiveRules } from "./read-live-rules.js";
import { inferVersions } from "./infer-versions.js";
import { readVersionFacts, type VersionRef } from "./read-version-facts.js";
import type { AccessInterval, AuditQuery } from "../core/audit/audit-types.js";
import type { Organization } from "../core/model/generated/policy-file.js";
import type { SecureAccessApi } from "../core/model/secure-access-types.js";

export interface AuditOptions {
  /** Where the journal is read: the journal branch of a repository (default), or a file (--journal). */
  journal: AuditJournalSource;
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
  const journal = await readAuditJournal(options.journal, { verify: false, warn: deps.warn });
  if (!journal.found && !options.live) {
    throw new InvalidInputError(
      "journal-missing",
      `journal not found: ${missing(options.journal)} (pass --repo or --journal, or --live to audit what is live now)`,
    );
  }
  if (!journal.found)
    deps.warn(`journal not found: ${missing(options.journal)}; auditing the live rules only`);
  warnBroken(journal, deps.warn);
  let intervals = buildIntervals(journal.entries);
  const repo = options.repo === null ? null : await open(options, options.repo);
  if (repo !== null && options.live) intervals = await withLiveRules(intervals, repo, options, deps);
  intervals = filterIntervals(intervals, options.query);
  return repo === null ? intervals : withGitFacts(intervals, repo);
}

function missing(source: AuditJournalSource): string {
  return source.kind === "file"
    ? source.path
    : `no ${source.branch} branch in ${source.repo} and no local journal ${source.fallbackPath}`;
}

/** `audit` lists what the journal says, and warns when its hash chain is broken (`audit --verify` fails then). */
function warnBroken(journal: AuditJournal, warn: (message: string) => void): void {
  if (journal.broken === null) return;
  const { path, line, message } = journal.broken;
  warn(`the journal's hash chain is broken at ${path}:${line}: ${message} (run grantops audit --verify)`);
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
