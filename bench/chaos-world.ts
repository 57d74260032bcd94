// The world of the chaos run: the Secure Access emulator in this process (seeded with the identities and
// private resources the grants name, a set of foreign rules, and one API key per child run so every rule
// records which run created it), a real temporary grants repository, and a journal path shared by every run.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator, type RunningEmulator } from "../src/emulator/start-emulator.js";
import { allScopes, defaultSeed } from "../src/emulator/default-seed.js";
import type { EmulatorSeed, SeedRule } from "../src/emulator/emulator-seed.js";
import { createGitFixture, type GitFixture } from "../test/helpers/git-fixture.js";
import { createRuleHistory, type RuleHistory } from "./chaos-rule-history.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const firstUserId = 2_100_000_001;
const firstResourceId = 310_001;
export const chaosSecret = "chaos-secret";
export const chaosOrgId = 8094936;

export const chaosUser = (i: number): string => `chaos-user${i}@example.com`;
export const chaosResource = (i: number): string => `chaos-res-${i}`;
/** The API key of child run `n` (1-based). */
export const chaosKey = (n: number): string => `chaos-key-${n}`;

export interface ChaosWorldOptions {
  users: number;
  resources: number;
  foreign: number;
  /** API keys to seed: at most this many child runs. */
  keys: number;
}

export interface ChaosWorld {
  emulator: RunningEmulator;
  repo: GitFixture;
  home: string;
  journalPath: string;
  history: RuleHistory;
  /** Ids of the rules grantops does not own (seed rules), known before any run. */
  foreignIds: Set<number>;
  /** Environment of a child run authenticating with key `n`. */
  env(n: number): Record<string, string>;
  close(): Promise<void>;
}

export function chaosSeed(options: ChaosWorldOptions): EmulatorSeed {
  const seed = defaultSeed();
  for (let n = 1; n <= options.keys; n++) {
    seed.apiKeys.push({ key: chaosKey(n), secret: chaosSecret, scopes: [...allScopes] });
  }
  for (let i = 0; i < options.users; i++) {
    seed.identities.push({ id: firstUserId + i, label: chaosUser(i), type: "directory_user" });
  }
  for (let i = 0; i < options.resources; i++) {
    seed.privateResources.push({
      resourceId: firstResourceId + i,
      name: chaosResource(i),
      resourceAddresses: [
        { destinationAddr: [`10.98.${i % 250}.1`], protocolPorts: [{ protocol: "TCP", ports: "443" }] },
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

/**
 * Dashboard-made rules granting the same users and resources as grantops' rules do (a rule with the prefix or a
 * marker would count as grantops' own, tampered: design §3), so the planner must tell them apart by ownership.
 */
function foreignRules(options: ChaosWorldOptions): SeedRule[] {
  return Array.from({ length: options.foreign }, (_, i) => ({
    ruleId: 520_000 + i,
    ruleName: `legacy chaos access ${i}`,
    ruleDescription: "made in the dashboard",
    ruleAction: "allow",
    ruleIsEnabled: true,
    createdAt: "2026-01-05T09:00:00.000Z",
    modifiedAt: "2026-01-05T09:00:00.000Z",
    ruleConditions: [
      {
        attributeName: "umbrella.source.identity_ids",
        attributeOperator: "INTERSECT",
        attributeValue: [firstUserId + (i % options.users)],
      },
      {
        attributeName: "umbrella.destination.private_resource_ids",
        attributeOperator: "IN",
        attributeValue: [firstResourceId + (i % options.resources)],
      },
    ],
    ruleSettings: [
      { settingName: "umbrella.default.traffic", settingValue: "PRIVATE_NETWORK" },
      { settingName: "umbrella.logLevel", settingValue: "LOG_ALL" },
    ],
  }));
}

export async function createChaosWorld(
  options: ChaosWorldOptions,
  random: () => number,
): Promise<ChaosWorld> {
  const history = createRuleHistory();
  const emulator = await startEmulator({
    seed: chaosSeed(options),
    limits: { tokenPerMinute: false, policiesPerMinute: false, policiesPerHour: false },
    random,
    log: (line) => history.observe(line),
  });
  history.attach(emulator.state);
  const repo = await createGitFixture();
  const home = await repo.tempDir();
  await repo.write("policy.yaml", await readFile(join(root, "policy.yaml"), "utf8"));
  return {
    emulator,
    repo,
    home,
    journalPath: join(home, "journal", "journal.jsonl"),
    history,
    foreignIds: new Set(emulator.state.rules.map((rule) => rule.ruleId)),
    env: (n) => ({
      PATH: process.env["PATH"] ?? "",
      HOME: home,
      GRANTOPS_API_URL: emulator.url,
      GRANTOPS_ACME_API_KEY: chaosKey(n),
      GRANTOPS_ACME_API_SECRET: chaosSecret,
      GRANTOPS_LOG_LEVEL: "silent",
    }),
    async close() {
      history.detach();
      await emulator.close();
      await repo.cleanup();
    },
  };
}

export interface ChaosGrant {
  user: number;
  resource: number;
  /** Absolute expiry (ms), or null for a 4-hour duration. */
  expiresAtMs: number | null;
  revision: number;
}

/** A valid grant file: one user, one resource, an absolute expiry (short grants) or 4h. */
export function chaosGrantYaml(grant: ChaosGrant): string {
  const timing =
    grant.expiresAtMs === null
      ? "duration: 4h"
      : `expiresAt: ${new Date(Math.ceil(grant.expiresAtMs / 1000) * 1000).toISOString().replace(".000Z", "Z")}`;
  return [
    "# generated by bench/chaos-world.ts",
    "version: 1",
    `users: [${chaosUser(grant.user)}]`,
    `resources: [${chaosResource(grant.resource)}]`,
    `reason: "CHAOS-${grant.revision}: chaos run of the reconciler"`,
    timing,
    "",
  ].join("\n");
}
