// An end-to-end world for tests: the Secure Access emulator on a real port, a real temporary grants repository
// (commits at chosen dates, so landing times are controlled), a working directory for the journal, an injected
// clock, and `cli()` which runs grantops in-process against all of it. Every `cli()` run also checks that the
// rules grantops does not own (foreign and default rules) are unchanged.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import {
  startEmulator,
  type EmulatorOptions,
  type RunningEmulator,
} from "../../src/emulator/start-emulator.js";
import { defaultSeed, demoApiKey, demoApiSecret } from "../../src/emulator/default-seed.js";
import { readJournal } from "../../src/reconcile/journal.js";
import type { JournalEntry } from "../../src/core/model/journal-entry.js";
import type { EmulatorSeed, SeedRule } from "../../src/emulator/emulator-seed.js";
import type { Rule } from "../../src/core/model/secure-access-types.js";
import { createGitFixture, type GitFixture } from "./git-fixture.js";
import { runCli, type CliRun } from "./run-cli.js";

export const packageRoot = fileURLToPath(new URL("../../", import.meta.url));

/** The first commit of every world lands at this instant; tests move the clock relative to it. */
export const T0 = "2026-03-02T09:00:00Z";

/** The instant `offsetSeconds` after T0. */
export function afterT0(offsetSeconds: number): string {
  return new Date(Date.parse(T0) + offsetSeconds * 1000).toISOString().replace(/\.000Z$/, "Z");
}

export const ids = {
  alice: 1173502975,
  bob: 1173502976,
  carol: 1173502977,
  dave: 1173502978,
  erin: 1173502979,
  jira: 183456,
  prodDb: 183457,
  grafana: 183459,
  wiki: 183460,
};

export interface GrantSpec {
  users: string[];
  resources: string[];
  duration?: string;
  expiresAt?: string;
  reason?: string;
}

/** A valid grant file. */
export function grantYaml(spec: GrantSpec): string {
  const timing =
    spec.expiresAt !== undefined ? `expiresAt: ${spec.expiresAt}` : `duration: ${spec.duration ?? "4h"}`;
  return [
    "version: 1",
    `users: [${spec.users.join(", ")}]`,
    `resources: [${spec.resources.join(", ")}]`,
    `reason: "${spec.reason ?? "E2E-1: end-to-end test of the reconciler"}"`,
    timing,
    "",
  ].join("\n");
}

export interface E2eWorldOptions {
  /** Grant files of the first commit (path under the repository → text); default: none. */
  grants?: Record<string, string>;
  /** policy.yaml text; default: the package's example policy. */
  policy?: string;
  /** Emulator seed; default: the example data. */
  seed?: EmulatorSeed;
  emulator?: EmulatorOptions;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export interface E2eWorld {
  emulator: RunningEmulator;
  repo: GitFixture;
  /** The working directory of every run (the journal goes to <home>/.grantops/journal.jsonl). */
  home: string;
  journalPath: string;
  env: Record<string, string>;
  /** The injected clock's current time. */
  now(): Date;
  setNow(iso: string | Date): void;
  advance(seconds: number): void;
  /** Writes (text) or deletes (null) files and commits them at `iso` (author and committer date). */
  commit(files: Record<string, string | null>, iso: string, message?: string): Promise<string>;
  /**
   * Runs grantops in-process (cwd `home`, GRANTOPS_REPO the world's repository, the injected clock); asserts the
   * foreign rules are unchanged. `env` entries are added to (or, when undefined, removed from) the world's env.
   */
  cli(args: string[], options?: CliOptions): Promise<CliRun>;
  journal(): Promise<JournalEntry[]>;
  /** Rules whose name starts with the prefix (what grantops manages), in the emulator's store. */
  managed(prefix?: string): Rule[];
  /** Rule writes the emulator answered (any status), from its counters. */
  writes(): number;
  /** Counter sum for keys matching the pattern ("METHOD route status"). */
  count(pattern: RegExp): number;
  close(): Promise<void>;
}

/** The foreign rules of the store, without the priority (the vendor renumbers priorities when rules come and go). */
export function foreignSnapshot(rules: Rule[], prefix = "grantops-"): string {
  return JSON.stringify(
    rules
      .filter(
        (rule) =>
          !rule.ruleName.startsWith(prefix) && !(rule.ruleDescription ?? "").startsWith("grantops/v1"),
      )
      .map(({ rulePriority: _priority, ...rest }) => rest),
  );
}

const writePattern = /^(POST|PUT|DELETE) \/policies\/v2\/rules/;

export async function createE2eWorld(options: E2eWorldOptions = {}): Promise<E2eWorld> {
  let nowMs = Date.parse(T0) + 60_000;
  // The emulator stamps createdAt/modifiedAt with the world's injected clock, as the vendor stamps real time.
  const emulator = await startEmulator({
    limits: { tokenPerMinute: false },
    clock: () => nowMs,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...options.emulator,
  });
  const repo = await createGitFixture();
  const home = await repo.tempDir();
  const journalPath = join(home, ".grantops", "journal.jsonl");
  const policy = options.policy ?? (await readFile(join(packageRoot, "policy.yaml"), "utf8"));
  const env: Record<string, string> = {
    GRANTOPS_ACME_API_KEY: demoApiKey,
    GRANTOPS_ACME_API_SECRET: demoApiSecret,
    GRANTOPS_ACME_API_URL: emulator.url,
    GRANTOPS_LOG_LEVEL: "silent",
    GRANTOPS_REPO: repo.dir,
  };
  const world: E2eWorld = {
    emulator,
    repo,
    home,
    journalPath,
    env,
    now: () => new Date(nowMs),
    setNow: (iso) => {
      nowMs = typeof iso === "string" ? Date.parse(iso) : iso.getTime();
    },
    advance: (seconds) => {
      nowMs += seconds * 1000;
    },
    async commit(files, iso, message = "change grants") {
      for (const [path, text] of Object.entries(files)) {
        if (text === null) await repo.remove(path);
        else await repo.write(path, text);
      }
      return repo.commit(message, iso);
    },
    async cli(args, options = {}) {
      const before = foreignSnapshot(emulator.state.rules);
      const run = await runCli(args, {
        env: { ...env, ...options.env },
        cwd: options.cwd ?? home,
        clock: () => new Date(nowMs),
      });
      expect(foreignSnapshot(emulator.state.rules), "foreign and default rules are never written").toBe(
        before,
      );
      return run;
    },
    journal: () => readJournal(journalPath),
    managed: (prefix = "grantops-") =>
      emulator.state.rules.filter((rule) => rule.ruleName.startsWith(prefix)),
    writes: () => world.count(writePattern),
    count: (pattern) =>
      Object.entries(emulator.counters())
        .filter(([key]) => pattern.test(key))
        .reduce((sum, [, n]) => sum + n, 0),
    async close() {
      await emulator.close();
      await repo.cleanup();
    },
  };
  await world.commit({ "policy.yaml": policy, ...options.grants }, T0, "grants");
  return world;
}

/** `count` foreign rules (not managed: no prefix, no marker) for a seed, ahead of the seed's default rules. */
export function foreignRules(count: number, firstId: number): SeedRule[] {
  return Array.from({ length: count }, (_, i) => ({
    ruleId: firstId + i,
    ruleName: `legacy access ${i}`,
    ruleDescription: "made in the dashboard",
    ruleAction: "allow",
    ruleIsEnabled: true,
    createdAt: "2026-01-05T09:00:00.000Z",
    modifiedAt: "2026-01-05T09:00:00.000Z",
    ruleConditions: [
      {
        attributeName: "umbrella.source.identity_ids",
        attributeOperator: "INTERSECT",
        attributeValue: [ids.erin],
      },
      {
        attributeName: "umbrella.destination.private_resource_ids",
        attributeOperator: "IN",
        attributeValue: [ids.wiki],
      },
    ],
    ruleSettings: [
      { settingName: "umbrella.default.traffic", settingValue: "PRIVATE_NETWORK" },
      { settingName: "umbrella.logLevel", settingValue: "LOG_ALL" },
    ],
  }));
}

/** The example seed plus `count` foreign rules (placed before the default rules). */
export function seedWithForeignRules(count: number): EmulatorSeed {
  const seed = defaultSeed();
  const defaults = seed.rules.filter((rule) => rule.ruleIsDefault === true);
  const others = seed.rules.filter((rule) => rule.ruleIsDefault !== true);
  seed.rules = [...others, ...foreignRules(count, 600_000), ...defaults].map(
    ({ rulePriority: _p, ...rule }) => rule,
  );
  return seed;
}
