// Shapes of the Cisco Secure Access API objects grantops reads and writes (see shared API reference §4-§8).
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
