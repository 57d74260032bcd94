// Which grants a push plans (docs/serve-and-workflows.md, "A push costs what it changes"): only the grant files the
// push changed, or a full reconcile when anything about the push is uncertain. Pure.
import { grantIdFromPath } from "../validate/check-grant-id.js";
import { markerGrantId } from "../rule/rule-marker.js";

/** Why a run is a full reconcile and not the plan of a push's changes (a bounded set: a metric label). */
export type FullReason =
  | "trigger"
  | "no-base"
  | "not-fast-forward"
  | "too-many-commits"
  | "policy-changed"
  | "too-many-grants"
  | "grant-key"
  | "landing-before-base"
  | "name-taken"
  | "guard"
  | "no-view"
  | "error";

export type PushScope =
  | {
      kind: "partial";
      /** The grant ids whose files the push added, changed or removed, sorted. */
      grantIds: string[];
      /** The paths to read at the new commit: both spellings of each grant's file (a.yaml and a.yml clash). */
      paths: string[];
    }
  | { kind: "full"; reason: FullReason };

/** Most commits a push may bring and still be planned by its changes. */
export const MAX_PUSH_COMMITS = 1000;
/** Most grant files a push may change and still be planned by its changes (each costs one rule lookup). */
export const MAX_PUSH_GRANTS = 50;

export interface PushRange {
  /** The commit the last converged run applied, or null when unknown. */
  base: string | null;
  /** The commit the branch points to now. */
  head: string;
  /** The first-parent commits between them (see firstParentChanges). */
  commits: number;
  /** True when `base` is on the head's first-parent chain and the whole range was read. */
  reachedBase: boolean;
  /** The paths the range changed. */
  changedPaths: readonly string[];
  policyPath: string;
}

/** True when every reason of a run is a push webhook (startup, the backstop tick and the expiry timer are full). */
export function isPushOnly(reasons: readonly string[]): boolean {
  return reasons.length > 0 && reasons.every((reason) => reason.startsWith("push "));
}

/** The grants a push changed, or why it must be a full reconcile. */
export function pushScope(range: PushRange): PushScope {
  if (range.base === null) return full("no-base");
  if (range.base === range.head) return { kind: "partial", grantIds: [], paths: [] };
  if (range.commits > MAX_PUSH_COMMITS) return full("too-many-commits");
  if (!range.reachedBase) return full("not-fast-forward");
  if (range.changedPaths.includes(range.policyPath)) return full("policy-changed");
  const ids = new Set<string>();
  for (const path of range.changedPaths) {
    const id = grantIdFromPath(path);
    if (id !== null) ids.add(id);
  }
  if (ids.size > MAX_PUSH_GRANTS) return full("too-many-grants");
  // A grant id that markers record differently (escaped or cut) could share its marker with another grant.
  if ([...ids].some((id) => markerGrantId(id) !== id)) return full("grant-key");
  const grantIds = [...ids].sort();
  return {
    kind: "partial",
    grantIds,
    paths: grantIds.flatMap((id) => [`grants/${id}.yaml`, `grants/${id}.yml`]),
  };
}

function full(reason: FullReason): PushScope {
  return { kind: "full", reason };
}
