import type { Grant, GroupRef, Problem, UserRef } from "../model/types.js";
import { describeRef } from "../model/describe-ref.js";

type GranteeField = "users" | "groups";

interface Owner {
  index: number;
  field: GranteeField;
  itemIndex: number;
  grantee: UserRef | GroupRef;
  resource: Grant["resources"][number];
}

/**
 * Two grant files giving the same user, or the same directory group, the same resource (in the same organization): a
 * warning on both files, at the user or group entry (the position the grant recorded when it was loaded), once per
 * pair of files and grantee kind. Users and groups compare case-insensitively, resources exactly; a user and a group
 * never match each other.
 */
export function checkDuplicateGrants(grants: readonly Grant[]): Problem[] {
  const owners = new Map<string, Owner[]>();
  grants.forEach((grant, index) => {
    grant.users.forEach((user, itemIndex) =>
      addOwner(owners, grant, { index, field: "users", itemIndex }, user),
    );
    grant.groups.forEach((group, itemIndex) =>
      addOwner(owners, grant, { index, field: "groups", itemIndex }, group),
    );
  });
  return warnings(grants, owners);
}

function addOwner(
  owners: Map<string, Owner[]>,
  grant: Grant,
  at: Pick<Owner, "index" | "field" | "itemIndex">,
  grantee: UserRef | GroupRef,
): void {
  // A name and an id never match each other, even a name spelled like an id ("#7").
  const granteeId = typeof grantee === "string" ? `n${grantee.toLowerCase()}` : `i${grantee.id}`;
  // Length-prefixed parts: no two different (organization, grantee, resource) can spell the same key.
  const prefix = `${grant.organization.length}:${grant.organization}${at.field}${granteeId.length}:${granteeId}`;
  for (const resource of grant.resources) {
    const key = prefix + (typeof resource === "string" ? `n${resource}` : `i${resource.id}`);
    const list = owners.get(key);
    if (list === undefined) owners.set(key, [{ ...at, grantee, resource }]);
    else if (!list.some((entry) => entry.index === at.index)) list.push({ ...at, grantee, resource });
  }
}

/** "alice@example.com → jira", "group payments-oncall → {id: 7}" (only for the duplicates found). */
function label(owner: Owner): string {
  return `${owner.field === "groups" ? "group " : ""}${describeRef(owner.grantee)} → ${describeRef(owner.resource)}`;
}

function warnings(grants: readonly Grant[], owners: Map<string, Owner[]>): Problem[] {
  const problems: Problem[] = [];
  const reported = new Set<string>();
  for (const list of owners.values()) {
    if (list.length < 2) continue;
    for (const entry of list) {
      const other = list.find((candidate) => candidate.index !== entry.index);
      const self = grants[entry.index];
      const otherGrant = other === undefined ? undefined : grants[other.index];
      if (!self || !otherGrant) continue;
      const pairKey = `${entry.field}:${entry.index}:${other?.index}`;
      if (reported.has(pairKey)) continue;
      reported.add(pairKey);
      const { line, column } = self.positions[entry.field][entry.itemIndex] ?? { line: 1, column: 1 };
      const message = `${label(entry)} is also granted by ${otherGrant.file}`;
      problems.push({ severity: "warning", code: "duplicate-grant", file: self.file, line, column, message });
    }
  }
  return problems;
}
