// The status report from plans, the facts of their grant versions, the journal and serve's runs (pure).
// Sorted by time left, so what ends first comes first.
import { compareText } from "../model/compare-text.js";
import type { JournalEntry } from "../model/journal-entry.js";
import type {
  ActiveGrant,
  ExpiryLag,
  OrganizationStatus,
  PendingGrant,
  RunSummary,
  StatusGrantFacts,
  StatusHealth,
  StatusReport,
  StatusSource,
} from "../model/status-report.js";
import { markerGrantId } from "../rule/rule-marker.js";
import { parseInstant, toInstant } from "../time/instant.js";
import type { Instant } from "../model/types.js";
import { githubLinks, type GitHubLinks } from "./github-links.js";
import { suspiciousRulesOf } from "./suspicious-rules-of.js";

export interface StatusInput {
  source: StatusReport["source"];
  organizations: readonly StatusSource[];
  /** Journal entries (oldest first): expiry lags are read from them. */
  journal: readonly JournalEntry[];
  /** serve's recent runs, oldest first (none for `grantops status` without serve). */
  runs: readonly RunSummary[];
  nextWakeAt: Instant | null;
  health: StatusHealth | null;
  /** owner/name on GitHub, for links; null when unknown. */
  repository: string | null;
  /** The "expiring soon" window. */
  withinMs: number;
}

/** How many recent runs and expiry lags the report keeps. */
export const RECENT_LIMIT = 20;

export function statusOf(input: StatusInput, now: Date): StatusReport {
  const links = githubLinks(input.repository);
  return {
    version: 1,
    at: toInstant(now),
    source: input.source,
    withinSeconds: Math.round(input.withinMs / 1000),
    repository: input.repository,
    organizations: input.organizations
      .map((source) => organizationStatus(source, now.getTime(), input.withinMs, links))
      .sort((a, b) => compareText(a.organization, b.organization)),
    runs: {
      last: input.runs.at(-1) ?? null,
      nextWakeAt: input.nextWakeAt,
      recent: input.runs.slice(-RECENT_LIMIT).reverse(),
      expiryLags: expiryLagsOf(input.journal),
    },
    health: input.health,
  };
}

function organizationStatus(
  source: StatusSource,
  nowMs: number,
  withinMs: number,
  links: GitHubLinks,
): OrganizationStatus {
  const { plan } = source;
  const facts = new Map(source.grants.map((g) => [markerGrantId(g.grantId), g]));
  const active = activeGrants(source, facts, nowMs, links).sort(
    (a, b) => a.secondsLeft - b.secondsLeft || compareText(a.grantId, b.grantId),
  );
  return {
    organization: plan.organization,
    orgId: plan.orgId,
    commit: plan.commit,
    plannedAt: plan.at,
    active,
    pending: pendingGrants(source, facts, links).sort(
      (a, b) => compareText(a.grantId, b.grantId) || compareText(a.kind, b.kind),
    ),
    expiringSoon: active.filter((g) => g.secondsLeft * 1000 <= withinMs).map((g) => g.grantId),
    attention: suspiciousRulesOf(plan),
    counts: { ...plan.counts },
  };
}

function activeGrants(
  source: StatusSource,
  facts: ReadonlyMap<string, StatusGrantFacts>,
  nowMs: number,
  links: GitHubLinks,
): ActiveGrant[] {
  const { plan } = source;
  const organization = plan.organization;
  const deleted = new Set(source.deleted);
  const created = new Set(source.created);
  const entry = (grantId: string, ruleName: string, expiresAt: Instant, state: ActiveGrant["state"]) => {
    const fact = facts.get(markerGrantId(grantId)) ?? null;
    return activeGrant({ organization, grantId, ruleName, expiresAt, state }, fact, nowMs, links);
  };
  return [
    ...plan.kept
      .filter((k) => !deleted.has(k.ruleId))
      .map((k) => entry(k.grantId, k.ruleName, k.expiresAt, "active")),
    ...plan.steps.flatMap((step) =>
      step.kind === "create"
        ? [
            entry(
              step.grantId,
              step.rule.ruleName,
              step.expiresAt,
              created.has(step.grantId) ? "active" : "to-create",
            ),
          ]
        : [],
    ),
    ...plan.held
      .filter((h) => !deleted.has(h.ruleId))
      .map((h) => entry(h.grantId, h.ruleName, h.expiresAt, "held")),
  ];
}

function activeGrant(
  base: Pick<ActiveGrant, "organization" | "grantId" | "ruleName" | "expiresAt" | "state">,
  fact: StatusGrantFacts | null,
  nowMs: number,
  links: GitHubLinks,
): ActiveGrant {
  const expiresMs = parseInstant(base.expiresAt) ?? nowMs;
  const pr = fact?.pr ?? null;
  const groups = fact?.groups ?? [];
  return {
    ...base,
    users: fact?.users ?? [],
    ...(groups.length > 0 ? { groups } : {}),
    resources: fact?.resources ?? [],
    reason: fact?.reason ?? "",
    secondsLeft: Math.max(0, Math.round((expiresMs - nowMs) / 1000)),
    startsAt: fact?.startsAt ?? null,
    breakGlass: fact?.breakGlass ?? false,
    pr,
    file: fact?.file ?? null,
    fileUrl: fact === null ? null : links.file(fact.commit, fact.file),
    prUrl: links.pullRequest(pr),
  };
}

function pendingGrants(
  source: StatusSource,
  facts: ReadonlyMap<string, StatusGrantFacts>,
  links: GitHubLinks,
): PendingGrant[] {
  const { plan } = source;
  const organization = plan.organization;
  const entry = (
    grantId: string,
    kind: PendingGrant["kind"],
    detail: string,
    times: { startsAt: Instant | null; expiresAt: Instant | null },
    knownPr: number | null,
  ): PendingGrant => {
    const fact = facts.get(markerGrantId(grantId)) ?? null;
    const pr = knownPr ?? fact?.pr ?? null;
    return {
      organization,
      grantId,
      kind,
      detail,
      ...times,
      pr,
      file: fact?.file ?? null,
      fileUrl: fact === null ? null : links.file(fact.commit, fact.file),
      prUrl: links.pullRequest(pr),
    };
  };
  return [
    ...plan.unapproved.map((u) =>
      entry(u.grantId, u.status === "rejected" ? "rejected" : "approval", u.reason, none, u.pr),
    ),
    ...plan.pending.map((p) =>
      entry(
        p.grantId,
        "not-started",
        `starts at ${p.startsAt}`,
        { startsAt: p.startsAt, expiresAt: p.expiresAt },
        null,
      ),
    ),
    ...plan.held.map((h) =>
      entry(h.grantId, "held", h.reason, { startsAt: null, expiresAt: h.expiresAt }, null),
    ),
  ];
}

const none = { startsAt: null, expiresAt: null };

/** The most recent successful expiry deletes with their lag, newest first. */
function expiryLagsOf(journal: readonly JournalEntry[]): ExpiryLag[] {
  return journal
    .filter(
      (e) => e.action === "delete" && e.reason === "expired" && e.outcome === "ok" && e.lagSeconds !== null,
    )
    .slice(-RECENT_LIMIT)
    .reverse()
    .map((e) => ({
      organization: e.organization,
      grantId: e.grantId,
      ruleName: e.ruleName,
      expiresAt: e.expiresAt,
      deletedAt: e.time,
      lagSeconds: e.lagSeconds ?? 0,
    }));
}
