import type { IdentityTypeObject } from "./emulator-seed.js";

/**
 * Identity type objects for the short names a seed may use. 7 (AD Users) and 8 (AD Groups) follow the vendor's
 * examples; the other ids are illustrative (inferred).
 */
export const identityTypes: Readonly<Record<string, IdentityTypeObject>> = {
  directory_user: { id: 7, label: "AD Users", type: "directory_user" },
  directory_group: { id: 8, label: "AD Groups", type: "directory_group" },
  roaming: { id: 9, label: "Roaming Computers", type: "roaming" },
  site: { id: 11, label: "Sites", type: "site" },
  network: { id: 40, label: "Networks", type: "network" },
};

/** Expands a short type name to the vendor's type object; undefined when the name is unknown. */
export function expandIdentityType(type: string | IdentityTypeObject): IdentityTypeObject | undefined {
  if (typeof type !== "string") return { ...type };
  const known = identityTypes[type];
  return known ? { ...known } : undefined;
}
