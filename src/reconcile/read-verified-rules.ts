// Verify what you keep: the full rule of every managed-looking rule that the verification cache does not vouch
// for, fetched with bounded concurrency and a per-run budget (docs/plan-and-safety.md, "Verification").
import { conditionsCheck, needsVerification } from "../core/rule/classify-rule.js";
import { parseMarker } from "../core/rule/rule-marker.js";
import { parseInstant } from "../core/time/instant.js";
import { readActualRules } from "./read-actual-rules.js";
import type { VerificationCache } from "./verification-cache.js";
import type { ActualRule, PlanOptions } from "../core/model/types.js";
import { isRuleGone, type Rule, type SecureAccessApi } from "../core/model/secure-access-types.js";

/** Rule GETs per run by default: well inside the vendor's 2000/min and 6000/hour for the policies scope. */
export const DEFAULT_VERIFY_BUDGET = 1000;
/** Rule GETs in flight at once. */
export const VERIFY_CONCURRENCY = 4;

export interface RuleVerification {
  cache: VerificationCache;
  clock: () => Date;
  /** Most rule GETs this run; the rest wait for the next run (neither kept as verified nor deleted unproven). */
  budget: number;
  concurrency?: number;
  /** Only these rules are worth a GET (sweep: the ones whose marker expired); default every candidate. */
  worthFetching?: (rule: ActualRule) => boolean;
}

export interface VerifiedRules {
  /** The listing, with conditions and settings for the rules fetched this run. */
  rules: ActualRule[];
  /** Ids the cache vouches for (listed fields unchanged since a verification that counted). */
  cacheVerified: number[];
  gets: number;
  /** Rules that needed a GET beyond this run's budget. */
  deferred: number;
}

/**
 * Lists every rule, then GETs (at most `budget`, `concurrency` at a time) the candidates whose marker parses and
 * that the cache does not vouch for, soonest marker expiry first, so expired rules are proven (and deleted) in
 * this run. Each fetched rule that matches its marker is recorded in the cache (when the granularity rule lets
 * the verification count); one that does not is forgotten.
 */
export async function readVerifiedRules(
  api: SecureAccessApi,
  orgId: number,
  options: PlanOptions,
  verification: RuleVerification,
): Promise<VerifiedRules> {
  return verifyListed(api, await readActualRules(api, orgId), options, verification);
}

/** The verification of readVerifiedRules for rules already read (a push reads only those of its grants, by name). */
export async function verifyListed(
  api: SecureAccessApi,
  summaries: readonly ActualRule[],
  options: PlanOptions,
  verification: RuleVerification,
): Promise<VerifiedRules> {
  const { cache } = verification;
  const cacheVerified: number[] = [];
  const queue: ActualRule[] = [];
  for (const summary of summaries) {
    const vouched = cache.isVerified(summary);
    if (vouched) cacheVerified.push(summary.ruleId);
    if (needsVerification(summary, options, vouched) && (verification.worthFetching?.(summary) ?? true)) {
      queue.push(summary);
    }
  }
  queue.sort((a, b) => expiryOf(a) - expiryOf(b) || a.ruleId - b.ruleId);
  const batch = queue.slice(0, Math.max(0, verification.budget));
  const { fetched, gone } = await fetchAll(api, batch, verification);
  return {
    // A rule deleted between the listing and its GET (another writer, an admin) is gone: not part of the world.
    rules: summaries.flatMap((summary) =>
      gone.has(summary.ruleId) ? [] : [fetched.get(summary.ruleId) ?? summary],
    ),
    cacheVerified,
    gets: batch.length,
    deferred: queue.length - batch.length,
  };
}

async function fetchAll(
  api: SecureAccessApi,
  batch: ActualRule[],
  verification: RuleVerification,
): Promise<{ fetched: Map<number, ActualRule>; gone: Set<number> }> {
  const fetched = new Map<number, ActualRule>();
  const gone = new Set<number>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batch.length) {
      const summary = batch[next++]!;
      const full = await getUnlessGone(api, summary.ruleId);
      if (full === null) {
        gone.add(summary.ruleId);
        verification.cache.forget(summary.ruleId);
        continue;
      }
      const rule: ActualRule = { ...summary, ...full };
      record(rule, verification);
      fetched.set(rule.ruleId, rule);
    }
  };
  const workers = Math.min(verification.concurrency ?? VERIFY_CONCURRENCY, batch.length);
  await Promise.all(Array.from({ length: workers }, worker));
  return { fetched, gone };
}

/** The full rule, or null when it was deleted since it was listed (404); any other failure throws. */
async function getUnlessGone(api: SecureAccessApi, ruleId: number): Promise<Rule | null> {
  try {
    return await api.getRule(ruleId);
  } catch (error) {
    if (isRuleGone(error)) return null;
    throw error;
  }
}

/** Caches a fetched (or created) full rule's verification, or forgets it when it does not match its marker. */
export function record(rule: ActualRule, verification: Pick<RuleVerification, "cache" | "clock">): void {
  const marker = parseMarker(rule.ruleDescription);
  if (marker !== null && conditionsCheck(rule, marker) === "match") {
    verification.cache.markVerified(rule, verification.clock());
  } else {
    verification.cache.forget(rule.ruleId);
  }
}

function expiryOf(rule: ActualRule): number {
  return parseInstant(parseMarker(rule.ruleDescription)?.exp ?? "") ?? Number.MAX_SAFE_INTEGER;
}
