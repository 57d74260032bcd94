import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/model/grantops-error.js";
import {
  readServeConfig,
  type ServeConfigError,
  type ServeFlags,
} from "../../src/daemon/read-serve-config.js";

const SECRET = "s3cr3t-value-never-printed";
const noFile = (path: string): string => {
  throw Object.assign(new Error(`ENOENT ${path}`), { code: "ENOENT" });
};
const minimalEnv = { GRANTOPS_REPO: "/srv/grants", GRANTOPS_WEBHOOK_SECRET: SECRET };

function problemsOf(flags: ServeFlags, env: Record<string, string>, readFile = noFile): readonly string[] {
  try {
    readServeConfig(flags, env, readFile);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as ServeConfigError).problems;
  }
  return [];
}

describe("readServeConfig", () => {
  it("applies the defaults", () => {
    const config = readServeConfig({}, minimalEnv, noFile);
    expect({ ...config }).toEqual({
      repo: "/srv/grants",
      githubRepository: undefined,
      branch: undefined,
      host: "127.0.0.1",
      port: 8080,
      webhookSecret: SECRET,
      intervalMs: 300_000,
      trustGit: false,
      maxDeletes: 25,
      journal: undefined,
      statusAccess: { kind: "off" },
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("reads the environment, and flags win over it", () => {
    const env = {
      ...minimalEnv,
      GRANTOPS_BRANCH: "main",
      GITHUB_REPOSITORY: "acme/grants",
      GRANTOPS_HOST: "0.0.0.0",
      GRANTOPS_PORT: "9000",
      GRANTOPS_RECONCILE_INTERVAL: "30m",
      GRANTOPS_TRUST_GIT: "1",
      GRANTOPS_MAX_DELETES: "10",
      GRANTOPS_JOURNAL: "/var/lib/grantops/journal.jsonl",
    };
    expect(readServeConfig({}, env, noFile)).toMatchObject({
      githubRepository: "acme/grants",
      branch: "main",
      host: "0.0.0.0",
      port: 9000,
      intervalMs: 1_800_000,
      trustGit: true,
      maxDeletes: 10,
      journal: "/var/lib/grantops/journal.jsonl",
    });
    const flags: ServeFlags = {
      repo: "https://github.com/acme/grants.git",
      branch: "release",
      host: "::1",
      port: "0",
      interval: "90s",
      trustGit: false,
      maxDeletes: "3",
      journal: "j.jsonl",
    };
    expect(
      readServeConfig(flags, { ...env, GRANTOPS_GITHUB_REPOSITORY: "acme/other" }, noFile),
    ).toMatchObject({
      repo: "https://github.com/acme/grants.git",
      githubRepository: "acme/other",
      branch: "release",
      host: "::1",
      port: 0,
      intervalMs: 90_000,
      trustGit: false,
      maxDeletes: 3,
      journal: "j.jsonl",
    });
  });

  it("reads the secret from GRANTOPS_WEBHOOK_SECRET_FILE, trimmed", () => {
    const files: Record<string, string> = { "/run/secrets/hook": `${SECRET}\n` };
    const config = readServeConfig(
      {},
      { GRANTOPS_REPO: ".", GRANTOPS_WEBHOOK_SECRET_FILE: "/run/secrets/hook" },
      (path) => files[path] ?? noFile(path),
    );
    expect(config.webhookSecret).toBe(SECRET);
  });

  it("reports every problem at once", () => {
    const problems = problemsOf(
      { port: "70000", interval: "5 minutes", maxDeletes: "-1", branch: "bad..branch" },
      { GRANTOPS_TRUST_GIT: "yes" },
    );
    expect(problems).toHaveLength(7);
    for (const fragment of [
      "GRANTOPS_REPO is required",
      "GRANTOPS_BRANCH",
      "GRANTOPS_PORT",
      "GRANTOPS_WEBHOOK_SECRET or GRANTOPS_WEBHOOK_SECRET_FILE is required",
      "GRANTOPS_RECONCILE_INTERVAL",
      "GRANTOPS_TRUST_GIT",
      "GRANTOPS_MAX_DELETES",
    ]) {
      expect(problems.some((p) => p.includes(fragment))).toBe(true);
    }
  });

  it.each([
    ["a GitHub repository without owner", { GITHUB_REPOSITORY: "grants" }, "owner/name"],
    ["an interval below 10s", { GRANTOPS_RECONCILE_INTERVAL: "5s" }, "10s to 24h"],
    ["both secret settings", { GRANTOPS_WEBHOOK_SECRET_FILE: "/x" }, "only one"],
    [
      "an unreadable secret file",
      { GRANTOPS_WEBHOOK_SECRET: "", GRANTOPS_WEBHOOK_SECRET_FILE: "/x" },
      "ENOENT",
    ],
  ])("rejects %s", (_label, env, fragment) => {
    const problems = problemsOf({}, { ...minimalEnv, ...env });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(fragment);
  });

  it.each([
    ["one character", { GRANTOPS_WEBHOOK_SECRET: "a" }, "it has 1"],
    ["only whitespace", { GRANTOPS_WEBHOOK_SECRET: "   \t    \n      " }, "it has 0"],
    ["15 characters padded with spaces", { GRANTOPS_WEBHOOK_SECRET: " 0123456789abcde  " }, "it has 15"],
  ])("rejects a weak webhook secret: %s", (_label, env, fragment) => {
    const problems = problemsOf({}, { GRANTOPS_REPO: "a/b", ...env });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("at least 16 non-blank characters");
    expect(problems[0]).toContain(fragment);
    expect(problems[0]).toContain("openssl rand -hex 32");
  });

  it("rejects a weak secret read from GRANTOPS_WEBHOOK_SECRET_FILE", () => {
    const problems = problemsOf(
      {},
      { GRANTOPS_REPO: "a/b", GRANTOPS_WEBHOOK_SECRET_FILE: "/s" },
      () => "password\n",
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("GRANTOPS_WEBHOOK_SECRET_FILE must have at least 16 non-blank characters");
  });

  it("rejects an empty secret file", () => {
    const problems = problemsOf({}, { GRANTOPS_REPO: "a/b", GRANTOPS_WEBHOOK_SECRET_FILE: "/s" }, () => "\n");
    expect(problems).toEqual(["GRANTOPS_WEBHOOK_SECRET_FILE /s is empty"]);
  });

  it("never prints the secret: JSON, inspect, String, error messages", () => {
    const config = readServeConfig({}, minimalEnv, noFile);
    for (const text of [
      JSON.stringify(config),
      inspect(config),
      (config as { toString(): string }).toString(),
      `${inspect({ config })}`,
    ]) {
      expect(text).not.toContain(SECRET);
      expect(text).toContain("[redacted]");
    }
    const error = (() => {
      try {
        readServeConfig({ port: "x" }, minimalEnv, noFile);
      } catch (e) {
        return e as Error;
      }
      throw new Error("expected a failure");
    })();
    expect(`${error.message}${inspect(error)}`).not.toContain(SECRET);
  });
});
