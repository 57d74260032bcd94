import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ACTION_COMMANDS, actionInvocation, type ActionSetting } from "../../src/action/action-invocation.js";

const actionYml = parse(readFileSync("action.yml", "utf8")) as {
  inputs: Record<string, { default?: string }>;
};
const inputNames = Object.keys(actionYml.inputs);

const runner = {
  RUNNER_TEMP: "/runner/temp",
  GITHUB_REPOSITORY: "acme/grants",
  GITHUB_SERVER_URL: "https://github.com",
};
const inputs = (values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]));
const pullRequestEvent: ActionSetting["event"] = {
  pull_request: { number: 12, head: { sha: "a".repeat(40) }, base: { ref: "main" } },
};

describe("actionInvocation", () => {
  it("pr-report reads this repository as git objects at the event's head, with the token for git and GitHub", () => {
    const run = actionInvocation({
      env: { ...runner, ...inputs({ command: "pr-report", "github-token": "ghs_x", credentials: "acme" }) },
      event: pullRequestEvent,
    });
    expect(run.args).toEqual([
      "pr-report",
      "--repo",
      "https://github.com/acme/grants.git",
      "--cache-dir",
      "/runner/temp/grantops-repos",
      "--pr",
      "12",
      "--head-sha",
      "a".repeat(40),
      "--base",
      "main",
    ]);
    expect(run.env).toEqual({ GRANTOPS_GITHUB_TOKEN: "ghs_x" });
    expect(run.gitToken).toBe("ghs_x");
  });

  it("apply maps the credentials alias, vendor key, journal and guards onto the CLI", () => {
    const run = actionInvocation({
      env: {
        ...runner,
        ...inputs({
          command: "apply",
          credentials: "acme",
          "api-key": "k",
          "api-secret": "s",
          "api-url": "http://127.0.0.1:1",
          "max-deletes": "3",
          "trust-git": "true",
          policy: "access/policy.yaml",
          ref: "main",
        }),
      },
      event: {},
    });
    expect(run.args).toEqual([
      "apply",
      "--repo",
      "https://github.com/acme/grants.git",
      "--cache-dir",
      "/runner/temp/grantops-repos",
      "--policy",
      "access/policy.yaml",
      "--max-deletes",
      "3",
      "--trust-git",
      "--ref",
      "main",
      "--journal",
      "/runner/temp/grantops-journal.jsonl",
    ]);
    expect(run.env).toEqual({
      GRANTOPS_ACME_API_KEY: "k",
      GRANTOPS_ACME_API_SECRET: "s",
      GRANTOPS_ACME_API_URL: "http://127.0.0.1:1",
    });
    expect(run.gitToken).toBeNull();
  });

  it("sweep reads no repository and gets no GitHub token; git gets the token to publish the journal branch", () => {
    const run = actionInvocation({
      env: {
        ...runner,
        ...inputs({
          command: "sweep",
          "org-id": "8094936",
          organization: "acme",
          "api-key": "k",
          "api-secret": "s",
          "github-token": "ghs_x",
          "dry-run": "true",
          journal: "/j.jsonl",
        }),
      },
      event: {},
    });
    expect(run.args).toEqual([
      "sweep",
      "--org-id",
      "8094936",
      "--organization",
      "acme",
      "--journal",
      "/j.jsonl",
      "--repo",
      "https://github.com/acme/grants.git",
      "--cache-dir",
      "/runner/temp/grantops-repos",
      "--dry-run",
    ]);
    expect(run.env).toEqual({ GRANTOPS_API_KEY: "k", GRANTOPS_API_SECRET: "s" });
    expect(run.gitToken).toBe("ghs_x");
  });

  it("validate reads the checkout", () => {
    const run = actionInvocation({
      env: { ...runner, ...inputs({ command: "validate", "changed-since": "origin/main" }) },
      event: {},
    });
    expect(run.args).toEqual(["validate", "--repo", ".", "--changed-since", "origin/main"]);
  });

  it("a local repository gets no git token", () => {
    const run = actionInvocation({
      env: { ...runner, ...inputs({ command: "pr-report", repository: ".", "github-token": "t", pr: "7" }) },
      event: {},
    });
    expect(run.gitToken).toBeNull();
    expect(run.args.slice(-2)).toEqual(["--pr", "7"]);
  });

  it.each([
    [{ command: "plan" }, /input command "plan"/],
    [{ command: "apply", credentials: "ACME=1" }, /input credentials/],
    [{ command: "pr-report" }, /no pull request/],
  ])("refuses %j", (values, message) => {
    expect(() => actionInvocation({ env: { ...runner, ...inputs(values) }, event: {} })).toThrow(message);
  });

  it("reads every input action.yml declares, and no other", () => {
    const read = new Set<string>();
    for (const command of ACTION_COMMANDS) {
      const values = Object.fromEntries(inputNames.map((name) => [name, name === "command" ? command : "1"]));
      const env = new Proxy(
        { ...runner, ...inputs({ ...values, credentials: "acme" }) },
        {
          get: (target, key: string) => {
            if (key.startsWith("INPUT_")) read.add(key.slice("INPUT_".length).toLowerCase());
            return target[key as keyof typeof target];
          },
        },
      );
      actionInvocation({ env, event: pullRequestEvent });
    }
    expect([...read].sort()).toEqual([...inputNames].sort());
  });
});
