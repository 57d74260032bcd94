// Who a grant gives access to, for display: its users as written, then each directory group as "group <name>".

/** The users, then "group <name>" for each group (a grant without groups shows its users exactly as before). */
export function granteeItems(users: readonly string[], groups: readonly string[] | undefined): string[] {
  return [...users, ...(groups ?? []).map((group) => `group ${group}`)];
}
