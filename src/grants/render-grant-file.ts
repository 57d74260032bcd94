import { Document, isSeq } from "yaml";
import type { GrantFile, GroupRef, ResourceRef, UserRef } from "../core/model/types.js";

/** The YAML text of a grant file: fields in the documented order, short lists in flow style, a comment header. */
export function renderGrantFile(grant: GrantFile, header: string): string {
  const ordered: Record<string, unknown> = {};
  for (const key of FIELD_ORDER) if (grant[key] !== undefined) ordered[key] = grant[key];
  const doc = new Document(ordered);
  doc.commentBefore = header
    .split("\n")
    .map((line) => ` ${line}`)
    .join("\n");
  for (const key of ["users", "groups", "resources"]) {
    const node = doc.get(key, true);
    if (isSeq(node)) node.flow = true;
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

const FIELD_ORDER = [
  "version",
  "users",
  "groups",
  "resources",
  "organization",
  "reason",
  "duration",
  "expiresAt",
  "startsAt",
  "ticket",
  "breakGlass",
] as const;

/** `id:1173502975` → {id: 1173502975}; anything else is a label or name as written. */
export function parseRef(text: string): UserRef | ResourceRef {
  const match = /^id:([1-9][0-9]{0,15})$/.exec(text.trim());
  return match ? { id: Number(match[1]) } : text.trim();
}

/**
 * Default grant id: first user's local part (else the first group's name) + first resource, lowercased and
 * sanitised (alice-jira, oncall-sre-prod-api).
 */
export function defaultGrantId(user: UserRef | undefined, resource: ResourceRef, group?: GroupRef): string {
  const who =
    user === undefined
      ? typeof group === "string"
        ? group
        : `group-${group?.id ?? 0}`
      : typeof user === "string"
        ? (user.split("@")[0] ?? user)
        : `user-${user.id}`;
  const what = typeof resource === "string" ? resource : `resource-${resource.id}`;
  return sanitiseId(`${who}-${what}`);
}

function sanitiseId(text: string): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "");
  return (cleaned || "grant").slice(0, 100);
}
