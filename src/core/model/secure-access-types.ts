// Shapes of the Cisco Secure Access API objects grantops reads and writes (see docs/vendor-client.md, vendor API facts).
// These are wire shapes: the client returns them as the vendor sent them (after lenient parsing),
// and the emulator serves them.

export type RuleAction = "allow" | "block";
export type ConditionOperator = "=" | "IN" | "INTERSECT" | "AND";

export interface RuleCondition {
  attributeName: string;
  attributeOperator: ConditionOperator;
  attributeValue: string | boolean | number[] | Record<string, unknown>;
}

export interface RuleSetting {
  settingName: string;
  settingValue: string | number | boolean;
  createdAt?: string;
  modifiedAt?: string;
}

/** An item of GET /policies/v2/rules: no conditions, no settings. */
export interface RuleSummary {
  ruleId: number;
  ruleName: string;
  ruleDescription?: string;
  ruleAction: RuleAction;
  rulePriority: number;
  ruleIsDefault: boolean;
  ruleIsEnabled: boolean;
  organizationId: number;
  modifiedBy?: string;
  createdAt?: string;
  modifiedAt?: string;
}

/** A full rule, as GET/POST/PUT /policies/v2/rules/{id} return it. */
export interface Rule extends RuleSummary {
  ruleConditions: RuleCondition[];
  ruleSettings: RuleSetting[];
}

/**
 * What createRule answers: the rule, marked `existing: true` when it was not created by this call because a rule
 * of that name and the same content was already there (another writer made it, or an earlier attempt landed
 * although its reply was lost).
 */
export type CreatedRule = Rule & { existing?: true };

/** Body of POST /policies/v2/rules (PUT adds rulePriority). */
export interface RuleInput {
  ruleName: string;
  ruleDescription?: string;
  ruleAction: RuleAction;
  rulePriority?: number;
  ruleIsEnabled?: boolean;
  ruleConditions: RuleCondition[];
  ruleSettings: Array<{ settingName: string; settingValue: string | number | boolean }>;
}

export interface PrivateResource {
  resourceId: number;
  name: string;
  description?: string;
  resourceAddresses?: Array<{
    destinationAddr: string[];
    protocolPorts: Array<{ protocol: string; ports: string }>;
  }>;
  accessTypes?: Array<Record<string, unknown>>;
  resourceGroupIds?: number[];
  createdAt?: string;
  modifiedAt?: string;
}

export interface Identity {
  id: number;
  label: string;
  deleted: boolean;
  type: { id: number; label: string; type: string };
}

/** Why a lookup by name or id gave no single object: nothing matched, or several objects did. */
export type LookupFailureKind = "not-found" | "ambiguous";

/**
 * What the lookup methods (findIdentity, getIdentity, findGroup, findPrivateResource, getPrivateResource) throw when the
 * answer is "no such object" or "several": an answer about the grant, not a failure to read the state. Any
 * other error of a lookup (network, 5xx after retries, 401) means the state cannot be read.
 */
export interface LookupFailure extends Error {
  readonly lookupFailure: LookupFailureKind;
  /** The name or id that was looked up. */
  readonly query: string;
  /** Near misses or the several matches, for the message. */
  readonly candidates: string[];
}

/** Whether a lookup's error is a LookupFailure (by its typed field, never by its code or message). */
export function isLookupFailure(error: unknown): error is LookupFailure {
  if (!(error instanceof Error)) return false;
  const kind = (error as Partial<LookupFailure>).lookupFailure;
  return kind === "not-found" || kind === "ambiguous";
}

/** Whether a rule read (getRule) failed because the rule does not exist (the vendor answered 404). */
export function isRuleGone(error: unknown): boolean {
  return error instanceof Error && (error as { status?: unknown }).status === 404;
}

/**
 * The operations grantops needs from Secure Access. Implemented over HTTP by src/secure-access
 * (createSecureAccessClient); the emulator serves the same API. Every method throws a VendorApiError
 * (src/secure-access) on failure, a LookupFailure for the lookups' "not found" and "ambiguous" answers;
 * none returns partial data.
 */
export interface SecureAccessApi {
  /** Every rule of the organization, all pages (limit 1000). Fails as a whole if any page fails. */
  listRules(): Promise<RuleSummary[]>;
  /**
   * The rules whose name contains `name` (the list's `ruleName` filter: a case-insensitive substring match), all
   * pages. A serve push plans the rules of the grants it changed with it instead of listing every rule.
   */
  findRulesByName(name: string): Promise<RuleSummary[]>;
  getRule(ruleId: number): Promise<Rule>;
  /**
   * Idempotent by rule name: when the name is taken, returns the existing rule if its content is the one asked
   * for (marked `existing: true`), and otherwise throws a RuleNameTakenError (code RULE_NAME_TAKEN) carrying
   * that rule.
   */
  createRule(input: RuleInput): Promise<CreatedRule>;
  /**
   * Deletes a rule; a 404 counts as already deleted. `expiresAt` (ms) marks the delete of an expired rule: it
   * goes ahead of waiting creates and reads, oldest expiry first (docs/vendor-client.md).
   */
  deleteRule(ruleId: number, options?: { expiresAtMs?: number }): Promise<void>;
  /**
   * The expiries (ms) of the rules the organization keeps, and its number of rules: the client keeps room in the
   * vendor's rate windows for their deletes (creates are paced). Optional: fakes may ignore it.
   */
  expectExpiries?(expiriesMs: readonly number[], ruleCount: number): void;
  /** Full replace (PUT); `input.rulePriority` is required by the vendor. */
  updateRule(ruleId: number, input: RuleInput & { rulePriority: number }): Promise<Rule>;
  /**
   * Exact, case-insensitive match on the label or the UPN in parentheses; 0 or several matches throw a
   * LookupFailure. Cached per client.
   */
  findIdentity(label: string): Promise<Identity>;
  /**
   * An identity of any type (directory user or group) by id; the caller checks `type.type`. An unknown id throws
   * a LookupFailure ("not-found").
   */
  getIdentity(id: number): Promise<Identity>;
  /**
   * Every directory user (deleted ones included), all pages: the close matches of a name `grantops request`
   * cannot find. Cached per client (one listing, also used by later lookups).
   */
  listIdentities(): Promise<Identity[]>;
  /**
   * A directory group (`identitytypes=directory_group`) by name: exact, case-insensitive match on the label or
   * the part in its last parentheses, as findIdentity; 0 or several matches throw a LookupFailure. Cached per
   * client.
   */
  findGroup(name: string): Promise<Identity>;
  /** Every directory group, all pages: the close matches of a group name `grantops request` cannot find. */
  listGroups(): Promise<Identity[]>;
  /** Exact name match over all private resources; 0 or several matches throw a LookupFailure. Cached per client. */
  findPrivateResource(name: string): Promise<PrivateResource>;
  /** An unknown id throws a LookupFailure ("not-found"). */
  getPrivateResource(id: number): Promise<PrivateResource>;
  listPrivateResources(): Promise<PrivateResource[]>;
  /**
   * A hint before a batch of lookups: `users` distinct user names and `groups` distinct group names are about to
   * be looked up. A client that lists its whole directory past some number of names (the bulk threshold) may do so
   * at once instead of searching the first names one by one; the answers are the same either way.
   */
  expectLookups?(users: number, groups: number): void;
}
