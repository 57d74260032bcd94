import type { ErrorObject } from "ajv";
import type { GrantFile } from "../core/model/types.js";

export interface SalvagedGrant {
  /** The file's data without the fields (and list entries) the schema rejected. */
  data: GrantFile;
  /** Indexes of users/groups/resources entries the schema rejected (skipped by the semantic checks). */
  skip: { users: ReadonlySet<number>; groups: ReadonlySet<number>; resources: ReadonlySet<number> };
  /** Top-level fields dropped because the schema rejected them. */
  dropped: ReadonlySet<string>;
}

const LISTS = ["users", "groups", "resources"] as const;

/**
 * Keeps what the schema accepted of a schema-invalid grant, so the semantic checks can still report the
 * file's other problems in the same run (a denied resource next to a too-short reason, say).
 */
export function salvageGrantData(data: Record<string, unknown>, errors: ErrorObject[]): SalvagedGrant {
  const dropped = new Set<string>();
  const skip = { users: new Set<number>(), groups: new Set<number>(), resources: new Set<number>() };
  for (const error of errors) {
    const [field, index] = error.instancePath.split("/").slice(1);
    if (field === undefined) {
      if (error.schemaPath.startsWith("#/not")) dropped.add("expiresAt");
      continue;
    }
    const list = LISTS.find((name) => name === field);
    if (list && index !== undefined) skip[list].add(Number(index));
    else dropped.add(field);
  }
  const salvaged: Record<string, unknown> = { ...data };
  for (const field of dropped) delete salvaged[field];
  // A list the file gives but the schema rejected as a whole becomes empty; an absent users/groups stays absent
  // (so "name at least one user or group" is reported only when the file gives neither).
  for (const list of LISTS) {
    if ((list === "resources" || list in data) && !Array.isArray(salvaged[list])) salvaged[list] = [];
  }
  // A present but schema-invalid reason stays "given" (a placeholder), so no second "missing reason" appears.
  if ("reason" in data && typeof salvaged["reason"] !== "string") salvaged["reason"] = "";
  return { data: salvaged as unknown as GrantFile, skip, dropped };
}
