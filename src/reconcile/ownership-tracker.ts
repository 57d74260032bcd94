// Per run: the verification cache and grantops' record of the rules it created (the state file), the rule GETs
// that verify ownership, and the git history of the grants whose rules need it. See docs/plan-and-safety.md.
import { parseMarker, markerGrantId } from "../core/rule/rule-marker.js";
import { isCandidate } from "../core/rule/classify-rule.js";
import { readJournal } from "./journal.js";
import { readGrantHistory, type GrantHistoryInput } from "./read-grant-history.js";
import { readVerifiedRules, record, verifyListed, DEFAULT_VERIFY_BUDGET } from "./read-verified-rules.js";
import {
  createVerificationCache,
  readStateFile,
  writeStateFile,
  type OrganizationState,
  type VerificationCache,
} from "./verification-cache.js";
import type { Logger } from "../observability/create-logger.js";
import type { SecureAccessApi } from "../core/model/secure-access-types.js";
import type {
  ActualRule,
  DesiredGrant,
  HeldGrant,
  OwnershipEvidence,
  PlanOptions,
} from "../core/model/types.js";

export interface OwnershipTrackerOptions {
  /** The state file (null: in memory only, e.g. a pull-request preview). */
  statePath: string | null;
  /** The journal, read for the record of created rules when the state file is missing. */
  journalPath: string | null;
  clock: () => Date;
  logger: Logger;
  /** Rule GETs per run and organization (default 1000). */
  budget?: number;
}

export interface OwnershipStats {
  gets: number;
  deferred: number;
  coldStart: boolean;
}

export interface OwnershipTracker {
  /** The organization's rules, listed and (within the budget) verified. */
  readRules(api: SecureAccessApi, alias: string, orgId: number, options: PlanOptions): Promise<ActualRule[]>;
  /**
   * Rules read some other way (a push finds its grants' rules by name), verified like readRules' (within the
   * budget); the cache is not pruned, the listing being partial.
   */
  verifyRules(
    api: SecureAccessApi,
    alias: string,
    orgId: number,
    rules: readonly ActualRule[],
    options: PlanOptions,
  ): Promise<ActualRule[]>;
  /** The evidence for the planner; reads git history for the grants of rules that are not simply live. */
  evidence(input: EvidenceInput): Promise<OwnershipEvidence>;
  /** The client with creates and deletes recorded (a create's answer is a verification too). */
  wrap(api: SecureAccessApi, orgId: number): SecureAccessApi;
  /** Writes the state file (atomically); a no-op in memory. */
  save(): Promise<void>;
  stats(orgId: number): OwnershipStats;
}

export interface EvidenceInput extends Omit<GrantHistoryInput, "organization" | "now"> {
  alias: string;
  orgId: number;
  actual: ActualRule[];
  desired: DesiredGrant[];
  held: HeldGrant[];
}

export async function createOwnershipTracker(options: OwnershipTrackerOptions): Promise<OwnershipTracker> {
  const warn = (message: string): void => options.logger.warn({ statePath: options.statePath }, message);
  const file = options.statePath === null ? null : await readStateFile(options.statePath, warn);
  const caches = new Map<number, VerificationCache>();
  const stats = new Map<number, OwnershipStats>();
  const verifiedIds = new Map<number, number[]>();
  const cacheOf = async (alias: string, orgId: number): Promise<VerificationCache> => {
    const existing = caches.get(orgId);
    if (existing !== undefined) return existing;
    const section = file?.organizations[String(orgId)] ?? null;
    const cache = createVerificationCache(section ?? (await fromJournal(alias)));
    caches.set(orgId, cache);
    return cache;
  };
  const fromJournal = async (alias: string): Promise<OrganizationState | null> => {
    if (options.journalPath === null) return null;
    const entries = await readJournal(options.journalPath).catch(() => []);
    const created = entries
      .filter(
        (e) =>
          e.organization === alias &&
          e.action === "create" &&
          (e.outcome === "ok" || e.outcome === "adopted"),
      )
      .flatMap((e) => (e.ruleId === null ? [] : [e.ruleId]));
    return { verified: {}, created };
  };
  return {
    async readRules(api, alias, orgId, planOptions) {
      const cache = await cacheOf(alias, orgId);
      const read = await readVerifiedRules(api, orgId, planOptions, {
        cache,
        clock: options.clock,
        budget: options.budget ?? DEFAULT_VERIFY_BUDGET,
      });
      cache.prune(new Set(read.rules.map((rule) => rule.ruleId)));
      stats.set(orgId, { gets: read.gets, deferred: read.deferred, coldStart: !cache.loaded });
      verifiedIds.set(orgId, read.cacheVerified);
      return read.rules;
    },
    async verifyRules(api, alias, orgId, rules, planOptions) {
      const cache = await cacheOf(alias, orgId);
      const read = await verifyListed(api, rules, planOptions, {
        cache,
        clock: options.clock,
        budget: options.budget ?? DEFAULT_VERIFY_BUDGET,
      });
      stats.set(orgId, { gets: read.gets, deferred: read.deferred, coldStart: !cache.loaded });
      verifiedIds.set(orgId, read.cacheVerified);
      return read.rules;
    },
    async evidence(input) {
      const cache = await cacheOf(input.alias, input.orgId);
      const history = await readGrantHistory(historyGrants(input), {
        ...input,
        organization: input.alias,
        now: options.clock(),
      });
      return { verified: verifiedIds.get(input.orgId) ?? [], created: cache.created(), history };
    },
    wrap(api, orgId) {
      return {
        listRules: () => api.listRules(),
        findRulesByName: (name) => api.findRulesByName(name),
        getRule: (id) => api.getRule(id),
        updateRule: (id, body) => api.updateRule(id, body),
        findIdentity: (label) => api.findIdentity(label),
        getIdentity: (id) => api.getIdentity(id),
        listIdentities: () => api.listIdentities(),
        findGroup: (name) => api.findGroup(name),
        listGroups: () => api.listGroups(),
        findPrivateResource: (name) => api.findPrivateResource(name),
        getPrivateResource: (id) => api.getPrivateResource(id),
        listPrivateResources: () => api.listPrivateResources(),
        async createRule(body) {
          const rule = await api.createRule(body);
          const cache = caches.get(orgId);
          cache?.recordCreated(rule.ruleId);
          if (cache !== undefined) record(rule, { cache, clock: options.clock });
          return rule;
        },
        expectExpiries: (expiriesMs, ruleCount) => api.expectExpiries?.(expiriesMs, ruleCount),
        expectLookups: (users, groups) => api.expectLookups?.(users, groups),
        async deleteRule(id, deleteOptions) {
          await api.deleteRule(id, deleteOptions);
          caches.get(orgId)?.forget(id);
        },
      };
    },
    async save() {
      if (options.statePath === null) return;
      const organizations: Record<string, OrganizationState> = { ...(file?.organizations ?? {}) };
      for (const [orgId, cache] of caches) organizations[String(orgId)] = cache.toJson();
      await writeStateFile(options.statePath, { version: 1, organizations });
    },
    stats: (orgId) => stats.get(orgId) ?? { gets: 0, deferred: 0, coldStart: false },
  };
}

/**
 * The grants whose history the planner needs: those of candidate rules whose grant is not desired and approved
 * now (held, unapproved, removed or never seen). Rules of live grants are explained by the current version.
 */
function historyGrants(input: EvidenceInput): string[] {
  const live = new Set(
    input.desired.filter((g) => g.approval.status === "approved").map((g) => markerGrantId(g.grantId)),
  );
  const out = new Set<string>();
  for (const rule of input.actual) {
    if (!isCandidate(rule, input.options)) continue;
    const marker = parseMarker(rule.ruleDescription);
    if (marker !== null && !live.has(marker.grant)) out.add(marker.grant);
  }
  return [...out];
}
