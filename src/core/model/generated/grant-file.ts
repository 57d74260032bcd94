/* Generated from schemas/grant.schema.json by scripts/gen-types.mjs. Do not edit by hand: edit the schema and run npm run gen:types. */

/**
 * A user: an identity label (email or UPN) or {id: <Secure Access identity id>}.
 */
export type UserRef =
  | string
  | {
      /**
       * Secure Access identity id.
       */
      id: number;
    };
/**
 * A directory group: its name (the Secure Access label, or the part in its last parentheses) or {id: <Secure Access identity id>}.
 */
export type GroupRef =
  | string
  | {
      /**
       * Secure Access identity id of the directory group.
       */
      id: number;
    };
/**
 * A private resource: its exact name or {id: <private resource id>}.
 */
export type ResourceRef =
  | string
  | {
      /**
       * Secure Access private resource id.
       */
      id: number;
    };

/**
 * A grantops grant: one request for just-in-time access to private resources in Cisco Secure Access. The file lives under grants/; its id is its path under grants/ without the extension. Merging the pull request that adds it is the approval.
 */
export interface GrantFile {
  /**
   * Format version of this file. Always 1.
   */
  version: 1;
  /**
   * Who gets access: Secure Access directory users by identity label (email or UPN, matched exactly and case-insensitively), or {id: <identity id>} of a directory user. 1 to 20 entries. A grant names at least one user or group (users:, groups: or both).
   *
   * @minItems 1
   * @maxItems 20
   */
  users?: [UserRef, ...UserRef[]];
  /**
   * Directory groups that get access (every member, as Secure Access resolves the group): group names as Secure Access labels them (matched exactly and case-insensitively, on the whole label or the part in its last parentheses), or {id: <identity id>} of a directory group. 1 to 20 entries. The policy decides per resource whether groups are allowed (allowGroups); a grant with groups needs one more approval than the policy asks and is never auto-approved or break-glass.
   *
   * @minItems 1
   * @maxItems 20
   */
  groups?: [GroupRef, ...GroupRef[]];
  /**
   * What they get access to: private resource names (exact match) or {id: <resource id>}. 1 to 20 entries.
   *
   * @minItems 1
   * @maxItems 20
   */
  resources: [ResourceRef, ...ResourceRef[]];
  /**
   * Alias of the Secure Access organization, as named under organizations in policy.yaml. Optional when the policy names exactly one organization.
   */
  organization?: string;
  /**
   * Why access is needed (10 to 200 characters). Shown to approvers and kept for auditors. Required unless the policy sets defaults.requireReason: false.
   */
  reason?: string;
  /**
   * How long access lasts, counted from startsAt when given, else from the moment this version of the file landed on the default branch: 90s, 30m, 4h, 2d, compounds such as 1h30m or 2d12h, or ISO-8601 such as PT4H. At most one of duration and expiresAt; with neither, the policy's defaults.duration applies.
   */
  duration?: string;
  /**
   * When access ends, as an RFC 3339 timestamp with a time zone (2026-11-26T18:00:00Z). At most one of duration and expiresAt.
   */
  expiresAt?: string;
  /**
   * Optional: when access begins, as an RFC 3339 timestamp with a time zone. No rule exists before then.
   */
  startsAt?: string;
  /**
   * Optional change or incident ticket reference, for auditors.
   */
  ticket?: string;
  /**
   * Emergency access: self-merge allowed within the policy's breakGlass caps and requesters; granted at once and flagged loudly.
   */
  breakGlass?: boolean;
}
