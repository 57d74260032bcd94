// The emulator's seed (and persisted state) document: what `--seed file.json` holds. Validated against
// schemas/emulator-seed.schema.json by validateSeed().
import type {
  PrivateResource,
  RuleAction,
  RuleCondition,
  RuleSetting,
} from "../core/model/secure-access-types.js";

export interface SeedApiKey {
  key: string;
  secret: string;
  /** OAuth scopes of the key, e.g. "policies.rules:write". A ":write" scope also grants ":read". */
  scopes: string[];
}

export interface IdentityTypeObject {
  id: number;
  label: string;
  type: string;
}

export interface SeedIdentity {
  id: number;
  label: string;
  /** The full type object, or a short name such as "directory_user" that the loader expands. */
  type: string | IdentityTypeObject;
  deleted?: boolean;
}

export interface SeedRule {
  ruleId: number;
  ruleName: string;
  ruleDescription?: string;
  ruleAction: RuleAction;
  rulePriority?: number;
  ruleIsDefault?: boolean;
  ruleIsEnabled?: boolean;
  ruleConditions: RuleCondition[];
  ruleSettings: RuleSetting[];
  modifiedBy?: string;
  createdAt?: string;
  modifiedAt?: string;
}

export interface EmulatorSeed {
  organizationId: number;
  apiKeys: SeedApiKey[];
  identities: SeedIdentity[];
  privateResources: PrivateResource[];
  rules: SeedRule[];
  /** The next ruleId to hand out; default max(ruleId) + 1. Persisted state files carry it. */
  nextRuleId?: number;
}
