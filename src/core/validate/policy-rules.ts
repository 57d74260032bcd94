import { parseDuration } from "../time/duration.js";
import { deepFreeze } from "../model/value-pool.js";
import type { PolicyFile } from "../model/types.js";
import type { ResourceRule, Rules } from "../model/generated/policy-file.js";

export interface ApprovalRequirement {
  approvals: number;
  /** "@org/team" or GitHub logins. */
  approvers: string[];
  /** Present when `approvals` is one more than the policy's because the grant names groups (groupGrantRules). */
  groupExtra?: true;
}

export interface EffectiveRules {
  /** Names (or ids, as strings) of the grant's resources that the policy denies; empty when none. */
  deny: string[];
  /**
   * Names (or ids, as strings) of the grant's resources whose rule forbids directory groups as grantees
   * (allowGroups; default: forbidden where the rule requires 2 or more approvals).
   */
  groupsForbidden: string[];
  /** Strictest cap across the grant's resources (defaults.maxDuration, else 8h). */
  maxDurationMs: number;
  /** One per distinct matching rule (identical requirements merged); all must be met. */
  requirements: ApprovalRequirement[];
  /** Only when every resource's rule allows auto-approval: the smallest cap and the requesters all rules allow. */
  autoApprove: { maxDurationMs: number; requesters: string[] } | null;
}

export interface ResourceKey {
  name?: string;
  id?: number;
}

/** A resource as the grant file writes it (a name, or `{id: N}`), before any lookup. */
export function writtenResourceKey(ref: string | { id: number }): ResourceKey {
  return typeof ref === "string" ? { name: ref } : { id: ref.id };
}

/** Used when the policy sets no maxDuration at all. */
export const DEFAULT_MAX_DURATION_MS = 8 * 3600 * 1000;
/** Used when the policy sets no approvals count at all. */
export const DEFAULT_APPROVALS = 1;

interface ResolvedRule {
  key: string;
  /** JSON of `requirement`: equal requirements are merged. */
  requirementKey: string;
  deny: boolean;
  allowGroups: boolean;
  maxDurationMs: number;
  requirement: ApprovalRequirement;
  autoApprove: { maxDurationMs: number; requesters: string[] } | null;
}

/**
 * The rules that apply to a grant of these resources: first matching entry per resource, strictest across them.
 * Shared and frozen: computed once per policy object and list of resources (thousands of grants name the same few).
 */
export function effectiveRules(policy: PolicyFile, resources: readonly ResourceKey[]): EffectiveRules {
  let known = effectiveByPolicy.get(policy);
  if (known === undefined) {
    known = new Map();
    effectiveByPolicy.set(policy, known);
  }
  let key = "";
  for (const resource of resources) key += lengthPrefixed(resourceCacheKey(resource));
  let rules = known.get(key);
  if (rules === undefined) {
    rules = deepFreeze(uncachedEffectiveRules(policy, resources));
    known.set(key, rules);
  }
  return rules;
}

const effectiveByPolicy = new WeakMap<PolicyFile, Map<string, EffectiveRules>>();

function lengthPrefixed(text: string): string {
  return `${text.length}:${text}`;
}

/** Name and id both: a resolved resource can match an entry by either (an id holds no colon). */
function resourceCacheKey({ name, id }: ResourceKey): string {
  if (name === undefined) return `i:${id}`;
  return id === undefined ? `n:${name}` : `b:${id}:${name}`;
}

function uncachedEffectiveRules(policy: PolicyFile, resources: readonly ResourceKey[]): EffectiveRules {
  const resolved = resources.map((resource) => ({ resource, rule: ruleFor(policy, resource) }));
  const rules =
    resolved.length > 0 ? resolved.map((r) => r.rule) : [resolveRule("defaults", policy.defaults, {})];
  const distinct = new Map(rules.map((rule) => [rule.requirementKey, rule]));
  return {
    deny: resolved.filter((r) => r.rule.deny).map((r) => resourceLabel(r.resource)),
    groupsForbidden: resolved.filter((r) => !r.rule.allowGroups).map((r) => resourceLabel(r.resource)),
    maxDurationMs: Math.min(...rules.map((rule) => rule.maxDurationMs)),
    requirements: [...distinct.values()].map(({ requirement }) => ({
      approvals: requirement.approvals,
      approvers: [...requirement.approvers],
    })),
    autoApprove: combineAutoApprove(rules),
  };
}

function resourceLabel(resource: ResourceKey): string {
  return resource.name ?? String(resource.id);
}

/** Why a grant with groups is refused for these resources (validation and plan say the same). */
export function groupsForbiddenMessage(resources: string): string {
  return (
    `groups are not allowed for ${resources} (the policy's allowGroups; by default groups are forbidden ` +
    `where 2 or more approvals are required)`
  );
}

/** Why a group grant needs one approval more (docs/github.md, "Groups and self-approval"). */
export const GROUP_EXTRA_NOTE = " (one more than the policy asks: the grant names groups)";

/**
 * The rules for a grant that names directory groups (docs/github.md, "Groups and self-approval"): grantops cannot
 * read directory membership, so any approver may be a member. Every requirement needs one approval more than the
 * policy's (at least one, from distinct qualified approvers, never the PR author, a bot or a named grantee), and
 * auto-approve does not apply. A grant without groups keeps its rules as they are.
 */
export function rulesForGrantees(
  rules: EffectiveRules,
  grant: { groups: readonly unknown[] },
): EffectiveRules {
  if (grant.groups.length === 0) return rules;
  return {
    ...rules,
    requirements: rules.requirements.map((r) => ({
      approvals: r.approvals + 1,
      approvers: [...r.approvers],
      groupExtra: true,
    })),
    autoApprove: null,
  };
}

/** What the policy says of one resource (its first matching entry, else the defaults); shared and frozen. */
export function resourceRule(
  policy: PolicyFile,
  resource: ResourceKey,
): Readonly<{ deny: boolean; allowGroups: boolean; maxDurationMs: number }> {
  return ruleFor(policy, resource);
}

/** The first `resources` entry matching the resource, as its index, or -1 when only the defaults apply. */
export function matchingRuleIndex(policy: PolicyFile, resource: ResourceKey): number {
  return (policy.resources ?? []).findIndex((entry) => matches(entry, resource));
}

/**
 * The rule of each resource, per policy object: a run asks for the same resources thousands of times (one lookup
 * per grant). Policies are never mutated after validation; the resolved rules are frozen, never handed out.
 */
const rulesByPolicy = new WeakMap<PolicyFile, Map<string, ResolvedRule>>();

function ruleFor(policy: PolicyFile, resource: ResourceKey): ResolvedRule {
  let rules = rulesByPolicy.get(policy);
  if (rules === undefined) {
    rules = new Map();
    rulesByPolicy.set(policy, rules);
  }
  const key = resourceCacheKey(resource);
  const known = rules.get(key);
  if (known !== undefined) return known;
  const rule = Object.freeze(uncachedRuleFor(policy, resource));
  rules.set(key, rule);
  return rule;
}

function uncachedRuleFor(policy: PolicyFile, resource: ResourceKey): ResolvedRule {
  const index = matchingRuleIndex(policy, resource);
  const entry = index < 0 ? undefined : policy.resources?.[index];
  return entry
    ? resolveRule(`resources[${index}]`, entry, policy.defaults ?? {})
    : resolveRule("defaults", policy.defaults, {});
}

function resolveRule(key: string, entry: ResourceRule | Rules | undefined, defaults: Rules): ResolvedRule {
  const own: ResourceRule | Rules = entry ?? {};
  const maxDuration = own.maxDuration ?? defaults.maxDuration;
  const autoApprove = own.autoApprove ?? defaults.autoApprove;
  const approvals = own.approvals ?? defaults.approvals ?? DEFAULT_APPROVALS;
  const requirement = { approvals, approvers: [...(own.approvers ?? defaults.approvers ?? [])] };
  return {
    key,
    requirementKey: JSON.stringify(requirement),
    deny: "deny" in own && own.deny === true,
    allowGroups: own.allowGroups ?? defaults.allowGroups ?? approvals < 2,
    maxDurationMs: (maxDuration === undefined ? null : parseDuration(maxDuration)) ?? DEFAULT_MAX_DURATION_MS,
    requirement,
    autoApprove: autoApprove
      ? {
          maxDurationMs: parseDuration(autoApprove.maxDuration) ?? 0,
          requesters: [...autoApprove.requesters],
        }
      : null,
  };
}

function combineAutoApprove(rules: ResolvedRule[]): EffectiveRules["autoApprove"] {
  const caps = rules.map((rule) => rule.autoApprove);
  if (caps.some((cap) => cap === null || cap.maxDurationMs <= 0)) return null;
  const present = caps.filter((cap) => cap !== null);
  const [first, ...rest] = present;
  if (!first) return null;
  const requesters = first.requesters.filter((who) => rest.every((cap) => cap.requesters.includes(who)));
  if (requesters.length === 0) return null;
  return { maxDurationMs: Math.min(...present.map((cap) => cap.maxDurationMs)), requesters };
}

function matches(entry: ResourceRule, resource: ResourceKey): boolean {
  if (entry.match.name !== undefined)
    return resource.name !== undefined && globMatch(entry.match.name, resource.name);
  if (entry.match.ids !== undefined)
    return resource.id !== undefined && entry.match.ids.includes(resource.id);
  return false;
}

/**
 * Case-insensitive, anchored glob: `*` matches any run of characters (also none), `?` exactly one. Resource names
 * in Secure Access are case-insensitive for people (`Prod-DB` is `prod-*`), so a case difference must never drop a
 * resource to the looser default rule (docs/formats-and-validate.md).
 * Iterative with single-star backtracking: O(pattern × text), no regular expressions.
 */
export function globMatch(pattern: string, text: string): boolean {
  const p = [...pattern.toLowerCase()];
  const t = [...text.toLowerCase()];
  let pi = 0;
  let ti = 0;
  let starAt = -1;
  let starText = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === "?" || (p[pi] !== "*" && p[pi] === t[ti]))) {
      pi += 1;
      ti += 1;
    } else if (pi < p.length && p[pi] === "*") {
      starAt = pi;
      starText = ti;
      pi += 1;
    } else if (starAt >= 0) {
      pi = starAt + 1;
      starText += 1;
      ti = starText;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === "*") pi += 1;
  return pi === p.length;
}
