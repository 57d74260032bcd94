// One builder for the emulator seeds of the bench worlds: the default seed plus generated users, private
// resources and dashboard-made ("foreign") rules that grant the same users and resources, placed before the
// default rules as the vendor keeps them.
import { defaultSeed } from "../src/emulator/default-seed.js";
import type { EmulatorSeed, SeedRule } from "../src/emulator/emulator-seed.js";

export interface BenchSeedOptions {
  users: number;
  resources: number;
  foreign: number;
  firstUserId: number;
  firstResourceId: number;
  firstForeignRuleId: number;
  userLabel: (i: number) => string;
  resourceName: (i: number) => string;
  foreignRuleName: (i: number) => string;
  /** Second octet of the (never contacted) resource addresses, 10.<octet>.x.1. */
  addressOctet: number;
}

const stamp = "2026-01-05T09:00:00.000Z";

export function benchSeed(options: BenchSeedOptions): EmulatorSeed {
  const seed = defaultSeed();
  for (let i = 0; i < options.users; i++) {
    seed.identities.push({
      id: options.firstUserId + i,
      label: options.userLabel(i),
      type: "directory_user",
    });
  }
  for (let i = 0; i < options.resources; i++) {
    seed.privateResources.push({
      resourceId: options.firstResourceId + i,
      name: options.resourceName(i),
      resourceAddresses: [
        {
          destinationAddr: [`10.${options.addressOctet}.${i % 250}.1`],
          protocolPorts: [{ protocol: "TCP", ports: "443" }],
        },
      ],
      accessTypes: [{ type: "network" }],
    });
  }
  const defaults = seed.rules.filter((rule) => rule.ruleIsDefault === true);
  const others = seed.rules.filter((rule) => rule.ruleIsDefault !== true);
  seed.rules = [...others, ...foreignRules(options), ...defaults].map(
    ({ rulePriority: _p, ...rule }) => rule,
  );
  return seed;
}

function foreignRules(options: BenchSeedOptions): SeedRule[] {
  return Array.from({ length: options.foreign }, (_, i) => ({
    ruleId: options.firstForeignRuleId + i,
    ruleName: options.foreignRuleName(i),
    ruleDescription: "made in the dashboard",
    ruleAction: "allow",
    ruleIsEnabled: true,
    createdAt: stamp,
    modifiedAt: stamp,
    ruleConditions: [
      {
        attributeName: "umbrella.source.identity_ids",
        attributeOperator: "INTERSECT",
        attributeValue: [options.firstUserId + (i % options.users)],
      },
      {
        attributeName: "umbrella.destination.private_resource_ids",
        attributeOperator: "IN",
        attributeValue: [options.firstResourceId + (i % options.resources)],
      },
    ],
    ruleSettings: [
      { settingName: "umbrella.default.traffic", settingValue: "PRIVATE_NETWORK" },
      { settingName: "umbrella.logLevel", settingValue: "LOG_ALL" },
    ],
  }));
}
