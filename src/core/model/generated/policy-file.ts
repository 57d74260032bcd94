/* Generated from schemas/policy.schema.json by scripts/gen-types.mjs. Do not edit by hand: edit the schema and run npm run gen:types. */

/**
 * GitHub teams (@org/team) or logins whose approvals count.
 */
export type Principals = string[];
/**
 * GitHub teams or logins whose requests are auto-approved.
 */
export type Principals1 = string[];
/**
 * GitHub teams or logins whose approvals count for these resources.
 */
export type Principals2 = string[];
/**
 * GitHub teams or logins whose requests are auto-approved.
 */
export type Principals3 = string[];
/**
 * GitHub teams (@org/team) or logins allowed to use break-glass.
 */
export type Principals4 = string[];
/**
 * GitHub teams or logins mentioned when break-glass is used.
 */
export type Principals5 = string[];

/**
 * grantops policy (policy.yaml at the repository root): which Secure Access organizations exist, how long grants may last, who must approve them, what is auto-approved and what is never grantable. Guard it with CODEOWNERS.
 */
export interface PolicyFile {
  /**
   * Format version of this file. Always 1.
   */
  version: 1;
  /**
   * Secure Access organizations by alias. Grants name one with organization:.
   */
  organizations: {
    [k: string]: Organization;
  };
  defaults?: Rules;
  /**
   * Per-resource rules. The first entry whose match fits a resource applies to it; across a grant's resources the strictest rule wins.
   */
  resources?: ResourceRule[];
  /**
   * Emergency access: who may self-merge a breakGlass grant, for how long, and whom to notify.
   */
  breakGlass?: {
    /**
     * Longest break-glass grant.
     */
    maxDuration: string;
    requesters: Principals4;
    notify?: Principals5;
  };
  /**
   * Notifications: where grantops tells people that access was granted, is about to expire, expired or was revoked, that break-glass was used, or that a grant was not granted. Sent by grantops serve after its runs.
   */
  notify?: {
    /**
     * Where to send. URLs never appear in this file: each sink names the environment variable that holds its URL.
     *
     * @minItems 1
     * @maxItems 10
     */
    sinks: [NotifySink, ...NotifySink[]];
    /**
     * Send an expiring-soon reminder this long before a grant expires (default 15m).
     */
    remindBefore?: string;
  };
  /**
   * GitHub login → Secure Access identity label, so grantops can stop self-approval and self-grants.
   */
  people?: {
    /**
     * Identity label (email or UPN).
     */
    [k: string]: string;
  };
}
/**
 * One Secure Access organization.
 */
export interface Organization {
  /**
   * Numeric Secure Access organization id; every rule read must carry it.
   */
  orgId: number;
  /**
   * API base URL. Default https://api.sse.cisco.com (government cloud: https://api.secureaccessfed.cisco.com). GRANTOPS_<CREDENTIALS>_API_URL overrides it.
   */
  apiBaseUrl?: string;
  /**
   * Credentials alias: the API key and secret are read from GRANTOPS_<ALIAS>_API_KEY and GRANTOPS_<ALIAS>_API_SECRET (or their _FILE variants).
   */
  credentials: string;
}
/**
 * Rules for every resource that no resources entry matches, and the fallback for fields an entry leaves out; also the grant defaults (duration, requireReason).
 */
export interface Rules {
  /**
   * Duration of a grant that gives neither duration nor expiresAt (counted like a duration in the file; capped by maxDuration as usual). Without it such a grant is an error.
   */
  duration?: string;
  /**
   * Whether a grant must give a reason (default true). When false, a grant without reason is valid and shown as "no reason given".
   */
  requireReason?: boolean;
  /**
   * Whether grants may name directory groups (groups:) for resources no entry matches, and the fallback for entries that do not say (default: allowed unless the rule requires 2 or more approvals).
   */
  allowGroups?: boolean;
  /**
   * Longest grant allowed (start or landing to expiry).
   */
  maxDuration?: string;
  /**
   * How many qualified approvals a grant needs.
   */
  approvals?: number;
  approvers?: Principals;
  /**
   * Grants within these caps from these requesters need no review.
   */
  autoApprove?: {
    /**
     * Longest auto-approved grant.
     */
    maxDuration: string;
    requesters: Principals1;
  };
}
/**
 * Rules for the resources this entry matches.
 */
export interface ResourceRule {
  /**
   * Which resources: a glob on the resource name (* and ?), or a list of resource ids.
   */
  match: {
    /**
     * Glob on the private resource name; * matches any run of characters, ? one.
     */
    name?: string;
    /**
     * Private resource ids.
     *
     * @minItems 1
     */
    ids?: [number, ...number[]];
  };
  /**
   * Never grantable through grantops.
   */
  deny?: boolean;
  /**
   * Whether grants of these resources may name directory groups (groups:). Default: the defaults' allowGroups, else allowed unless the rule requires 2 or more approvals.
   */
  allowGroups?: boolean;
  /**
   * Longest grant allowed for these resources.
   */
  maxDuration?: string;
  /**
   * How many qualified approvals a grant of these resources needs.
   */
  approvals?: number;
  approvers?: Principals2;
  /**
   * Grants of these resources within these caps from these requesters need no review.
   */
  autoApprove?: {
    /**
     * Longest auto-approved grant.
     */
    maxDuration: string;
    requesters: Principals3;
  };
}
/**
 * One notification receiver.
 */
export interface NotifySink {
  /**
   * slack: a Slack-compatible incoming webhook (text and blocks); webhook: a generic JSON POST.
   */
  type: "slack" | "webhook";
  /**
   * Name of the environment variable holding the receiver's URL (for example GRANTOPS_SLACK_WEBHOOK_URL).
   */
  urlEnv: string;
}
