import type { Grant, Problem } from "../model/types.js";

/**
 * Two grant files giving the same user the same resource (in the same organization): a warning on both files,
 * at the user entry (the position the grant recorded when it was loaded), once per pair of files. Users compare
 * case-insensitively, resources exactly.
 */
export function checkDuplicateGrants(grants: readonly Grant[]): Problem[] {
  const owners = new Map<string, Array<{ index: number; userIndex: number; label: string }>>();
  grants.forEach((grant, index) => {
    grant.users.forEach((user, userIndex) => {
      const userId = typeof user === "string" ? user.toLowerCase() : `#${user.id}`;
      for (const resource of grant.resources) {
        const resourceId = typeof resource === "string" ? resource : `#${resource.id}`;
        const key = JSON.stringify([grant.organization, userId, resourceId]);
        const label = `${typeof user === "string" ? user : `{id: ${user.id}}`} → ${typeof resource === "string" ? resource : `{id: ${resource.id}}`}`;
        const list = owners.get(key) ?? [];
        if (!list.some((entry) => entry.index === index)) list.push({ index, userIndex, label });
        owners.set(key, list);
      }
    });
  });
  return warnings(grants, owners);
}

function warnings(
  grants: readonly Grant[],
  owners: Map<string, Array<{ index: number; userIndex: number; label: string }>>,
): Problem[] {
  const problems: Problem[] = [];
  const reported = new Set<string>();
  for (const list of owners.values()) {
    if (list.length < 2) continue;
    for (const entry of list) {
      const other = list.find((candidate) => candidate.index !== entry.index);
      const self = grants[entry.index];
      const otherGrant = other === undefined ? undefined : grants[other.index];
      if (!self || !otherGrant) continue;
      const pairKey = `${entry.index}:${other?.index}`;
      if (reported.has(pairKey)) continue;
      reported.add(pairKey);
      const { line, column } = self.positions.users[entry.userIndex] ?? { line: 1, column: 1 };
      const message = `${entry.label} is also granted by ${otherGrant.file}`;
      problems.push({
        severity: "warning",
        code: "duplicate-grant",
        file: self.file,
        line,
        column,
        message,
      });
    }
  }
  return problems;
}
