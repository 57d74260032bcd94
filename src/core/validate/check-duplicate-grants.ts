import type { Grant, GroupRef, Problem, UserRef } from "../model/types.js";

type GranteeField = "users" | "groups";

interface Owner {
  index: number;
  field: GranteeField;
  itemIndex: number;
  label: string;
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
  at: Omit<Owner, "label">,
  grantee: UserRef | GroupRef,
): void {
  const granteeId = typeof grantee === "string" ? grantee.toLowerCase() : `#${grantee.id}`;
  const granteeLabel = `${at.field === "groups" ? "group " : ""}${describe(grantee)}`;
  for (const resource of grant.resources) {
    const resourceId = typeof resource === "string" ? resource : `#${resource.id}`;
    const key = JSON.stringify([grant.organization, at.field, granteeId, resourceId]);
    const list = owners.get(key) ?? [];
    if (!list.some((entry) => entry.index === at.index)) {
      list.push({ ...at, label: `${granteeLabel} → ${describe(resource)}` });
    }
    owners.set(key, list);
  }
}

function describe(ref: string | { id: number }): string {
  return typeof ref === "string" ? ref : `{id: ${ref.id}}`;
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
      const message = `${entry.label} is also granted by ${otherGrant.file}`;
      problems.push({ severity: "warning", code: "duplicate-grant", file: self.file, line, column, message });
    }
  }
  return problems;
}
