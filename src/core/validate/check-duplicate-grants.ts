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
  const owners = new Map<string, Owner | Owner[]>();
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

/**
 * Records that grant `at.index` gives `grantee` each of its resources. Owners of a key stay in grant order, one per
 * grant (a grant naming the same user twice counts once); a key with one owner keeps it without a list.
 */
function addOwner(
  owners: Map<string, Owner | Owner[]>,
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
    const known = owners.get(key);
    const owner: Owner = { index: at.index, field: at.field, itemIndex: at.itemIndex, grantee, resource };
    if (known === undefined) owners.set(key, owner);
    else if (!Array.isArray(known)) {
      if (known.index !== at.index) owners.set(key, [known, owner]);
    } else if (known.at(-1)?.index !== at.index) known.push(owner);
  }
}

/** "alice@example.com → jira", "group payments-oncall → {id: 7}" (only for the duplicates found). */
function label(owner: Owner): string {
  return `${owner.field === "groups" ? "group " : ""}${describeRef(owner.grantee)} → ${describeRef(owner.resource)}`;
}

/** One warning per owner of a shared key, naming the first other grant; once per (grantee kind, grant, other). */
function warnings(grants: readonly Grant[], owners: Map<string, Owner | Owner[]>): Problem[] {
  const problems: Problem[] = [];
  const reported = new Set<string>();
  for (const list of owners.values()) {
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      const other = entry === list[0] ? list[1]! : list[0]!; // owners are distinct grants
      const self = grants[entry.index]!;
      const pairKey = `${entry.field}:${entry.index}:${other.index}`;
      if (reported.has(pairKey)) continue;
      reported.add(pairKey);
      const { line, column } = self.positions[entry.field][entry.itemIndex] ?? { line: 1, column: 1 };
      const message = `${label(entry)} is also granted by ${grants[other.index]!.file}`;
      problems.push({ severity: "warning", code: "duplicate-grant", file: self.file, line, column, message });
    }
  }
  return problems;
}
