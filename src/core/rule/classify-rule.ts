// Who owns a rule: managed (ours and intact), tampered (ours by prefix or marker, but edited or unreadable),
// or foreign (never touched). See docs/plan-and-safety.md.
import { parseInstant } from "../time/instant.js";
import { ruleSha } from "./rule-hash.js";
import { MARKER_PREFIX, parseMarker, type Marker } from "./rule-marker.js";
import { ruleName } from "./rule-name.js";
import type { ActualRule, PlanOptions } from "../model/types.js";

export type RuleClass =
  | { kind: "managed"; marker: Marker }
  | { kind: "tampered"; marker: Marker | null; reason: string }
  | { kind: "foreign" };

/** A rule modified more than this long after its creation has been edited since grantops created it. */
export const EDIT_TOLERANCE_MS = 2000;

/** True for a non-default rule whose name starts with the prefix or whose description starts with the marker. */
export function isCandidate(rule: ActualRule, options: PlanOptions): boolean {
  if (rule.ruleIsDefault) return false;
  return (
    rule.ruleName.startsWith(options.rulePrefix) || (rule.ruleDescription ?? "").startsWith(MARKER_PREFIX)
  );
}

/**
 * True when the shell must GET the full rule before planning: a candidate modified more than 2 s after its
 * creation (or whose timestamps are missing or unreadable). Listings carry no conditions, so this is how edits
 * made in the dashboard are found while a steady-state run costs only the list calls.
 */
export function needsDetail(summary: ActualRule, options: PlanOptions): boolean {
  if (!isCandidate(summary, options)) return false;
  const created = parseInstant(summary.createdAt ?? "");
  const modified = parseInstant(summary.modifiedAt ?? "");
  if (created === null || modified === null) return true;
  return modified - created > EDIT_TOLERANCE_MS;
}

export function classifyRule(rule: ActualRule, options: PlanOptions): RuleClass {
  if (!isCandidate(rule, options)) return { kind: "foreign" };
  const marker = parseMarker(rule.ruleDescription);
  if (marker === null) return tampered(null, "description is not a readable grantops marker");
  const expected = ruleName(options.rulePrefix, marker.grant, marker.sha);
  if (rule.ruleName !== expected)
    return tampered(marker, `name does not match its marker (expected ${expected})`);
  if (rule.ruleAction !== "allow") return tampered(marker, `action is ${String(rule.ruleAction)}, not allow`);
  if (rule.ruleIsEnabled !== true) return tampered(marker, "rule is disabled");
  if (rule.ruleConditions !== undefined) {
    const sha = ruleSha(
      { ...rule, ruleConditions: rule.ruleConditions, ruleSettings: rule.ruleSettings ?? [] },
      marker.grant,
      marker.exp,
    );
    if (sha !== marker.sha)
      return tampered(marker, "conditions, settings or expiry differ from the marker's hash");
  } else if (needsDetail(rule, options)) {
    return tampered(marker, "modified after creation and its conditions were not fetched (not verified)");
  }
  return { kind: "managed", marker };
}

function tampered(marker: Marker | null, reason: string): RuleClass {
  return { kind: "tampered", marker, reason };
}
