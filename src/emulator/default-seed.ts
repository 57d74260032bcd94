import type { PrivateResource } from "../core/model/secure-access-types.js";
import type { EmulatorSeed, SeedIdentity, SeedRule } from "./emulator-seed.js";

/** Organization id of the example data (alias `acme`). */
export const demoOrganizationId = 8094936;
export const demoApiKey = "grantops-demo-key";
export const demoApiSecret = "grantops-demo-secret";
export const allScopes = [
  "policies.rules:read",
  "policies.rules:write",
  "policies.privateresources:read",
  "reports.utilities:read",
];

const seededAt = "2026-01-05T09:00:00.000Z";

const users: Array<[number, string, boolean?]> = [
  [1173502975, "alice@example.com"],
  [1173502976, "Bob Builder (bob@example.com)"],
  [1173502977, "carol@example.com"],
  [1173502978, "dave@example.com"],
  [1173502979, "erin@example.com"],
  [1173502980, "mallory@example.com", true],
];

/** Directory groups (a grant's `groups:`): by whole label, or by the part in parentheses. */
const groups: Array<[number, string]> = [
  [1173600001, "Engineering (example.net\\Engineering)"],
  [1173600002, "oncall-sre"],
  [1173600003, "Database Admins (example.net\\dba)"],
];

const resources: Array<[number, string, string, string]> = [
  [183456, "Jira", "jira.internal.example.com", "443"],
  [183457, "prod-db", "10.20.0.15", "5432"],
  [183458, "payroll-db", "10.20.0.30", "1433"],
  [183459, "Grafana", "grafana.internal.example.com", "443"],
  [183460, "Wiki", "wiki.internal.example.com", "443"],
  [183461, "prod-api", "10.20.1.0/24", "8443"],
];

/** The example data of the repository (see docs/emulator.md): a fresh copy on every call. */
export function defaultSeed(): EmulatorSeed {
  return {
    organizationId: demoOrganizationId,
    apiKeys: [{ key: demoApiKey, secret: demoApiSecret, scopes: [...allScopes] }],
    identities: [
      ...users.map(([id, label, deleted]): SeedIdentity => ({
        id,
        label,
        type: "directory_user",
        deleted: deleted ?? false,
      })),
      ...groups.map(([id, label]): SeedIdentity => ({ id, label, type: "directory_group", deleted: false })),
    ],
    privateResources: resources.map(([resourceId, name, address, ports]) =>
      privateResource(resourceId, name, address, ports),
    ),
    rules: seedRules(),
    nextRuleId: 710001,
  };
}

function privateResource(resourceId: number, name: string, address: string, ports: string): PrivateResource {
  return {
    resourceId,
    name,
    description: `${name} (example data; the address is never contacted)`,
    resourceAddresses: [{ destinationAddr: [address], protocolPorts: [{ protocol: "TCP", ports }] }],
    accessTypes: [{ type: "branch" }, { type: "network" }, { type: "client", reachableAddresses: [address] }],
    resourceGroupIds: [],
    createdAt: seededAt,
    modifiedAt: seededAt,
  };
}

function seedRules(): SeedRule[] {
  const privateTraffic = { settingName: "umbrella.default.traffic", settingValue: "PRIVATE_NETWORK" };
  const logAll = { settingName: "umbrella.logLevel", settingValue: "LOG_ALL" };
  const common = { createdAt: seededAt, modifiedAt: seededAt, ruleIsEnabled: true };
  return [
    {
      ...common,
      ruleId: 700001,
      ruleName: "Engineering wiki access",
      ruleDescription: "Engineering group can reach the wiki",
      ruleAction: "allow",
      rulePriority: 1,
      ruleIsDefault: false,
      modifiedBy: `org/${demoOrganizationId}/user/4242`,
      ruleConditions: [
        {
          attributeName: "umbrella.source.identity_ids",
          attributeOperator: "INTERSECT",
          attributeValue: [1173600001],
        },
        {
          attributeName: "umbrella.destination.private_resource_ids",
          attributeOperator: "IN",
          attributeValue: [183460],
        },
      ],
      ruleSettings: [logAll, privateTraffic],
    },
    {
      ...common,
      ruleId: 700002,
      ruleName: "Default Internet Rule",
      ruleDescription: "",
      ruleAction: "allow",
      rulePriority: 2,
      ruleIsDefault: true,
      modifiedBy: `org/${demoOrganizationId}/user/1`,
      ruleConditions: [
        { attributeName: "umbrella.source.all", attributeOperator: "=", attributeValue: true },
        { attributeName: "umbrella.destination.all", attributeOperator: "=", attributeValue: true },
      ],
      ruleSettings: [logAll, { settingName: "umbrella.default.traffic", settingValue: "PUBLIC_INTERNET" }],
    },
    {
      ...common,
      ruleId: 700003,
      ruleName: "Default Private Access Rule",
      ruleDescription: "",
      ruleAction: "block",
      rulePriority: 3,
      ruleIsDefault: true,
      modifiedBy: `org/${demoOrganizationId}/user/1`,
      ruleConditions: [
        { attributeName: "umbrella.source.all", attributeOperator: "=", attributeValue: true },
        { attributeName: "umbrella.destination.all", attributeOperator: "=", attributeValue: true },
      ],
      ruleSettings: [logAll, privateTraffic],
    },
  ];
}
