import type { GroupRef, ResourceRef, UserRef } from "./types.js";

/** A user, group or resource as the grant file wrote it: the name, or `{id: N}` (for messages). */
export function describeRef(ref: UserRef | GroupRef | ResourceRef): string {
  return typeof ref === "string" ? ref : `{id: ${ref.id}}`;
}
