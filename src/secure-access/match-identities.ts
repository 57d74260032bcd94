import type { Identity } from "../core/model/secure-access-types.js";

/** Result of matching a name against identity labels (docs/vendor-client.md, vendor API facts). */
export interface IdentityMatch {
  /** Live identities whose label equals the query, or whose part in parentheses equals it (case-insensitive). */
  matches: Identity[];
  /** Deleted identities that would have matched (reported as candidates, never returned). */
  deletedMatches: Identity[];
}

/** The part in the last parentheses of a label: "Bob Builder (bob@example.com)" → "bob@example.com". */
export function labelUpn(label: string): string | null {
  const match = /\(([^()]*)\)\s*$/.exec(label);
  return match?.[1]?.trim() ?? null;
}

export function identityMatches(query: string, identity: Identity): boolean {
  const wanted = query.trim().toLowerCase();
  if (identity.label.trim().toLowerCase() === wanted) return true;
  return labelUpn(identity.label)?.toLowerCase() === wanted;
}

export function matchIdentities(query: string, identities: readonly Identity[]): IdentityMatch {
  const hits = identities.filter((identity) => identityMatches(query, identity));
  const byId = (list: Identity[]) => [...new Map(list.map((i) => [i.id, i])).values()];
  return {
    matches: byId(hits.filter((i) => !i.deleted)),
    deletedMatches: byId(hits.filter((i) => i.deleted)),
  };
}
