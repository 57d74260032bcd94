// The hash of a rule's meaning: which grant, until when, allow or not, for whom, to what, with which settings.
// Computed the same way from the desired rule and from an actual full rule, so any edit made outside
// grantops (conditions, settings, action, enabled, the marker's expiry) changes it.
import { hash } from "node:crypto";
import { compareText } from "../model/compare-text.js";
import type { RuleCondition } from "../model/secure-access-types.js";
import type { Instant } from "../model/types.js";

export const IDENTITY_ATTRIBUTE = "umbrella.source.identity_ids";
export const RESOURCE_ATTRIBUTE = "umbrella.destination.private_resource_ids";
export const SHA_LENGTH = 12;

/** The parts of a rule body the hash covers (RuleInput and full Rule both fit). */
export interface HashableRule {
  ruleAction: string;
  ruleIsEnabled?: boolean;
  ruleConditions: RuleCondition[];
  ruleSettings: Array<{ settingName: string; settingValue: string | number | boolean }>;
}

/**
 * First 12 hex digits of sha256 over the canonical JSON of
 * `{v:1, grant, exp, action, enabled, identityIds, resourceIds, settings[, extra]}`:
 * ids sorted and unique, settings as sorted [name, value] pairs, and `extra` (present only when non-empty)
 * listing every condition other than the first identity and resource conditions. The operator of those two is
 * not hashed (IN and INTERSECT are both accepted on read); their values must be integer arrays.
 * `grant` is the marker's grant id and `exp` the marker's expiry.
 */
export function ruleSha(rule: HashableRule, grant: string, exp: Instant): string {
  return hash("sha256", canonicalRuleText(rule, grant, exp), "hex").slice(0, SHA_LENGTH);
}

/**
 * The canonical JSON that ruleSha hashes, written directly in sorted-key order (action, enabled, exp, extra,
 * grant, identityIds, resourceIds, settings, v): the same text as canonicalJson of the object, without building
 * and re-parsing intermediate values for every rule of a large plan.
 */
function canonicalRuleText(rule: HashableRule, grant: string, exp: Instant): string {
  const { identityIds, resourceIds, extra } = splitConditions(rule.ruleConditions);
  const settings = rule.ruleSettings
    .map((s) => canonicalJson([s.settingName, s.settingValue]))
    .sort(compareText);
  const fields = [
    field("action", rule.ruleAction),
    field("enabled", rule.ruleIsEnabled ?? null),
    field("exp", exp),
    extra.length > 0 ? `"extra":[${extra.sort(compareText).join(",")}]` : undefined,
    field("grant", grant),
    field("identityIds", identityIds),
    field("resourceIds", resourceIds),
    `"settings":[${settings.join(",")}]`,
    `"v":1`,
  ].filter((text) => text !== undefined);
  return `{${fields.join(",")}}`;
}

/** `"name":value` as canonicalJson writes it inside an object; undefined when the value is (JSON omits it). */
function field(name: string, value: unknown): string | undefined {
  const text = canonicalJson(value) as string | undefined;
  return text === undefined ? undefined : `${JSON.stringify(name)}:${text}`;
}

interface SplitConditions {
  identityIds: number[] | null;
  resourceIds: number[] | null;
  /** Canonical JSON of each other condition. */
  extra: string[];
}

function splitConditions(conditions: RuleCondition[]): SplitConditions {
  const out: SplitConditions = { identityIds: null, resourceIds: null, extra: [] };
  for (const condition of conditions) {
    const ids = idList(condition);
    if (ids !== null && condition.attributeName === IDENTITY_ATTRIBUTE && out.identityIds === null) {
      out.identityIds = ids;
    } else if (ids !== null && condition.attributeName === RESOURCE_ATTRIBUTE && out.resourceIds === null) {
      out.resourceIds = ids;
    } else {
      out.extra.push(canonicalJson(condition));
    }
  }
  return out;
}

function idList(condition: RuleCondition): number[] | null {
  const { attributeOperator: op, attributeValue: value } = condition;
  if (op !== "IN" && op !== "INTERSECT") return null;
  if (!Array.isArray(value) || !value.every((v) => Number.isSafeInteger(v))) return null;
  return sortedUniqueIds(value);
}

/** `ids` itself when already sorted ascending without duplicates (one id, or a few in order), else a sorted copy. */
export function sortedUniqueIdsOf(ids: number[]): number[] {
  for (let i = 1; i < ids.length; i += 1) if (!(ids[i - 1]! < ids[i]!)) return sortedUniqueIds(ids);
  return ids;
}

/** Sorted ascending, duplicates removed. */
export function sortedUniqueIds(ids: readonly number[]): number[] {
  if (ids.length < 2) return [...ids]; // most rules name one identity and one resource
  return [...new Set(ids)].sort((a, b) => a - b);
}

/** JSON with object keys sorted at every level (arrays keep their order). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => compareText(a, b));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}
