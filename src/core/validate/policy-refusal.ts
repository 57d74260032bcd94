// Policy limits that no approval can lift: denied resources and the duration cap. Checked against the
// resources as resolved in Secure Access (name AND id), so a grant naming a resource by id meets the same
// name rules ("prod-*") as one naming it by name.
import {
  effectiveRules,
  groupsForbiddenMessage,
  rulesForGrantees,
  writtenResourceKey,
  type EffectiveRules,
  type ResourceKey,
} from "./policy-rules.js";
import { formatDuration, parseDuration } from "../time/duration.js";
import { grantWindow } from "../time/grant-window.js";
import { parseInstant } from "../time/instant.js";
import type { Grant, PolicyFile, ResolvedVersion } from "../model/types.js";

/** The resources of a version as the policy should see them: each resolved (name and id) when found, else as written. */
export function resourceKeys(version: ResolvedVersion): ResourceKey[] {
  return version.grant.resources.map((ref, index) => {
    const resolved = version.resolvedResources[index];
    if (resolved != null) return { name: resolved.name, id: resolved.resourceId };
    return writtenResourceKey(ref);
  });
}

/** The rules that apply to a version (see resourceKeys), stricter when it names groups (rulesForGrantees). */
export function versionRules(policy: PolicyFile, version: ResolvedVersion): EffectiveRules {
  return rulesForGrantees(effectiveRules(policy, resourceKeys(version)), version.grant);
}

/** From the start (or the landing) to the expiry, in milliseconds. */
export function grantSpanMs(grant: Grant, landedAt: string): number {
  const window = grantWindow(grant, landedAt);
  return (parseInstant(window.expiresAt) ?? 0) - (parseInstant(window.startsAt ?? landedAt) ?? 0);
}

/**
 * Why the policy forbids this grant whatever its approvals (deny, over the cap, or groups where they are not
 * allowed or with break-glass), or null.
 */
export function policyRefusal(
  rules: EffectiveRules,
  spanMs: number,
  grant: Pick<Grant, "groups" | "breakGlass">,
): string | null {
  if (rules.deny.length > 0) {
    const names = rules.deny.join(", ");
    return `${names} ${rules.deny.length === 1 ? "is" : "are"} never grantable through grantops (policy deny)`;
  }
  if (grant.groups.length > 0 && rules.groupsForbidden.length > 0) {
    return groupsForbiddenMessage(rules.groupsForbidden.join(", "));
  }
  if (grant.groups.length > 0 && grant.breakGlass) {
    return "break-glass grants name users only: this grant names groups";
  }
  if (spanMs > rules.maxDurationMs) {
    return `lasts ${formatDuration(spanMs)}, over the policy cap of ${formatDuration(rules.maxDurationMs)}`;
  }
  return null;
}

/**
 * Why the policy forbids this version whatever its approvals, or null: a denied resource, a span over the cap
 * of its resources, or break-glass the policy does not allow (no breakGlass section, or over its cap).
 */
export function versionRefusal(policy: PolicyFile, version: ResolvedVersion): string | null {
  const span = grantSpanMs(version.grant, version.landedAt);
  const refusal = policyRefusal(versionRules(policy, version), span, version.grant);
  if (refusal !== null || !version.grant.breakGlass) return refusal;
  if (!policy.breakGlass) return "break-glass is not allowed: the policy has no breakGlass section";
  const cap = parseDuration(policy.breakGlass.maxDuration) ?? 0;
  return span > cap
    ? `break-glass lasts ${formatDuration(span)}, over the break-glass cap of ${formatDuration(cap)}`
    : null;
}

/** Validation codes that mean "the policy forbids this grant" (the file itself is well-formed). */
export const POLICY_REFUSAL_CODES: ReadonlySet<string> = new Set([
  "resource-denied",
  "duration-over-cap",
  "break-glass-not-allowed",
  "break-glass-over-cap",
  "groups-not-allowed",
  "break-glass-groups",
]);
