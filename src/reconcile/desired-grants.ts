import type { Approval, DesiredGrant, Grant, Instant, ResolvedVersion } from "../core/model/types.js";
import type { VerifiedVersion } from "./verify-versions.js";
import { sortedUniqueIdsOf } from "../core/rule/rule-hash.js";

/** A grant's window: when its rule starts and expires, given when its version landed. */
export type GrantWindowOf = (
  grant: Grant,
  landedAt: Instant,
) => { startsAt: Instant | null; expiresAt: Instant };

/**
 * The planner's input: each resolved version without problems as a desired grant (sorted unique ids, labels
 * for display). A version with problems is left out: the caller holds it.
 */
export function desiredGrants(verified: readonly VerifiedVersion[], window: GrantWindowOf): DesiredGrant[] {
  return verified
    .filter(({ version }) => version.problems.length === 0)
    .map(({ version, approval }) => desiredGrant(version, approval, window));
}

function desiredGrant(version: ResolvedVersion, approval: Approval, window: GrantWindowOf): DesiredGrant {
  const { grant } = version;
  const users = resolvedOnly(version.resolvedUsers);
  const groups = resolvedOnly(version.resolvedGroups);
  const resources = resolvedOnly(version.resolvedResources);
  const times = window(grant, version.landedAt);
  return {
    grantId: grant.id,
    organization: grant.organization,
    // Each a new list (mapped), kept as it is when already in order: most grants name one user.
    identityIds: sortedUniqueIdsOf(users.map((user) => user.identityId)),
    groupIds: groups.length === 0 ? NO_IDS : sortedUniqueIdsOf(groups.map((group) => group.identityId)),
    resourceIds: sortedUniqueIdsOf(resources.map((resource) => resource.resourceId)),
    startsAt: times.startsAt,
    expiresAt: times.expiresAt,
    commit: version.commit,
    approval,
    users: users.map((user) => user.display),
    groups: groups.length === 0 ? NO_NAMES : groups.map((group) => group.display),
    resources: resources.map((resource) => resource.name),
    reason: grant.reason,
    breakGlass: grant.breakGlass,
  };
}

/** The resolved items: the list itself when all are (a version without problems), else a filtered copy. */
function resolvedOnly<T>(items: ReadonlyArray<T | null>): readonly T[] {
  return items.includes(null) ? items.filter((item): item is T => item !== null) : (items as readonly T[]);
}

/** Most grants name no groups: one frozen empty list each for ids and names instead of two per grant. */
const NO_IDS = Object.freeze([]) as unknown as number[];
const NO_NAMES = Object.freeze([]) as unknown as string[];
