// Who owns a rule, proven rather than claimed: managed (ours, intact and its conditions seen), unverified (looks
// intact, conditions not seen yet), tampered / unexplained (provably claimed by grantops, but wrong), suspicious
// (only looks like ours: never written) or foreign. See docs/plan-and-safety.md ("Ownership").
import { ruleSha } from "./rule-hash.js";
import { MARKER_PREFIX, parseMarker, type Marker } from "./rule-marker.js";
import { ruleName } from "./rule-name.js";
import type { ActualRule, PlanOptions } from "../model/types.js";

export type RuleClass =
  | { kind: "managed"; marker: Marker }
  | { kind: "unverified"; marker: Marker; recorded: boolean }
  | { kind: "tampered"; marker: Marker | null; reason: string }
  | { kind: "unexplained"; marker: Marker; reason: string }
  | { kind: "suspicious"; marker: Marker | null; reason: string }
  | { kind: "foreign" };

/** What the shell and git know about a rule beyond its listing. */
export interface OwnershipFacts {
  /** The rule id is in grantops' own record of the rules it created. */
  recorded: boolean;
  /** An earlier run saw this rule's full conditions hash to its marker's sha, and it is unchanged since. */
  cacheVerified: boolean;
  /** The grant id (marker form) is in git history (the grant exists now, or existed on the default branch). */
  knownGrant(grant: string): boolean;
  /** Git shows this grant version (its desired rule has this sha). */
  knownVersion(grant: string, sha: string): boolean;
}

/** Facts that prove nothing: the classification of a rule seen only through its listing and its own words. */
export const NO_FACTS: OwnershipFacts = {
  recorded: false,
  cacheVerified: false,
  knownGrant: () => false,
  knownVersion: () => false,
};

/** True for a non-default rule whose name starts with the prefix or whose description starts with the marker. */
export function isCandidate(rule: ActualRule, options: PlanOptions): boolean {
  if (rule.ruleIsDefault) return false;
  return (
    rule.ruleName.startsWith(options.rulePrefix) || (rule.ruleDescription ?? "").startsWith(MARKER_PREFIX)
  );
}

/**
 * True when the shell should GET the full rule: a candidate whose marker parses (there is a hash to check) and
 * whose conditions no earlier run verified (or that changed since). Rules without a readable marker gain nothing
 * from a GET: they are tampered (recorded) or suspicious whatever their conditions.
 */
export function needsVerification(
  summary: ActualRule,
  options: PlanOptions,
  cacheVerified: boolean,
): boolean {
  return isCandidate(summary, options) && !cacheVerified && parseMarker(summary.ruleDescription) !== null;
}

/** "match" when the rule's full conditions hash to its marker's sha, "mismatch" when not, "unseen" without them. */
export function conditionsCheck(rule: ActualRule, marker: Marker): "match" | "mismatch" | "unseen" {
  if (rule.ruleConditions === undefined) return "unseen";
  const sha = ruleSha(
    { ...rule, ruleConditions: rule.ruleConditions, ruleSettings: rule.ruleSettings ?? [] },
    marker.grant,
    marker.exp,
  );
  return sha === marker.sha ? "match" : "mismatch";
}

/**
 * The classification table (docs/plan-and-safety.md). A rule is *managed* only when its marker parses, its name
 * is the one the marker implies, it is an enabled allow rule and its conditions were seen to hash to the marker's
 * sha (this run, or by an earlier run with nothing listed changed since). Anything else that looks like ours is
 * written only with proof it is ours: the rule id is in grantops' record, or its marker parses and either its
 * conditions hash to the sha of a grant git knows, or its exact name claims a grant version git shows.
 */
export function classifyRule(
  rule: ActualRule,
  options: PlanOptions,
  facts: OwnershipFacts = NO_FACTS,
): RuleClass {
  if (!isCandidate(rule, options)) return { kind: "foreign" };
  const marker = parseMarker(rule.ruleDescription);
  if (marker === null) {
    const reason = "description is not a readable grantops marker";
    return facts.recorded ? { kind: "tampered", marker, reason } : { kind: "suspicious", marker, reason };
  }
  const seen = facts.cacheVerified ? "match" : conditionsCheck(rule, marker);
  const expected = ruleName(options.rulePrefix, marker.grant, marker.sha);
  const flaw = shapeFlaw(rule, expected);
  if (flaw === null && seen === "match") return { kind: "managed", marker };
  if (flaw === null && seen === "unseen") return { kind: "unverified", marker, recorded: facts.recorded };
  const reason = flaw ?? "conditions, settings or expiry differ from the marker's hash";
  if (facts.recorded) return { kind: "tampered", marker, reason };
  const hashProof = seen === "match" && facts.knownGrant(marker.grant);
  const nameProof = rule.ruleName === expected && facts.knownVersion(marker.grant, marker.sha);
  if (hashProof || nameProof) {
    return { kind: "unexplained", marker, reason: `${reason}; grantops never created this rule` };
  }
  return { kind: "suspicious", marker, reason: `${reason}; no proof grantops created it` };
}

/** Why the listed fields disagree with the marker (name, action, enabled), or null. */
function shapeFlaw(rule: ActualRule, expected: string): string | null {
  if (rule.ruleName !== expected) return `name does not match its marker (expected ${expected})`;
  if (rule.ruleAction !== "allow") return `action is ${String(rule.ruleAction)}, not allow`;
  if (rule.ruleIsEnabled !== true) return "rule is disabled";
  return null;
}
