import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/model/grantops-error.js";
import { readGitHubConfig } from "../../src/github/read-github-config.js";

const PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEsecretkeymaterial\n-----END RSA PRIVATE KEY-----\n";
const files: Record<string, string> = {
  "/run/secrets/app.pem": PEM,
  "/run/secrets/not-a-key": "hunter2-secret",
};
const readFile = (path: string): string => {
  const text = files[path];
  if (text === undefined)
    throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: "ENOENT" });
  return text;
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    readGitHubConfig(env, readFile);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).code).toBe("github-config");
    return (error as Error).message
      .split("\n")
      .slice(1)
      .map((line) => line.replace(/^ {2}- /, ""));
  }
  throw new Error("expected an error");
}

describe("readGitHubConfig", () => {
  it("returns null when nothing GitHub-related is set (a repository alone is not enough)", () => {
    expect(readGitHubConfig({}, readFile)).toBeNull();
    expect(readGitHubConfig({ GRANTOPS_GITHUB_REPOSITORY: "acme/grants" }, readFile)).toBeNull();
    expect(
      readGitHubConfig({ GITHUB_REPOSITORY: "acme/grants", GRANTOPS_GITHUB_TOKEN: "" }, readFile),
    ).toBeNull();
  });

  it("reads a token setup, falling back to GITHUB_REPOSITORY, frozen", () => {
    const config = readGitHubConfig(
      { GRANTOPS_GITHUB_TOKEN: "ghp_abc", GITHUB_REPOSITORY: "acme/grants" },
      readFile,
    );
    expect(config).toEqual({
      token: "ghp_abc",
      baseUrl: "https://api.github.com",
      owner: "acme",
      repo: "grants",
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("prefers GRANTOPS_GITHUB_REPOSITORY and reads a GitHub Enterprise API URL", () => {
    const config = readGitHubConfig(
      {
        GRANTOPS_GITHUB_TOKEN: "ghp_abc",
        GRANTOPS_GITHUB_REPOSITORY: "sec-team/access.grants",
        GITHUB_REPOSITORY: "other/repo",
        GRANTOPS_GITHUB_API_URL: "https://ghe.example.com/api/v3/",
      },
      readFile,
    );
    expect(config).toMatchObject({
      baseUrl: "https://ghe.example.com/api/v3",
      owner: "sec-team",
      repo: "access.grants",
    });
  });

  it.each([
    ["an inline key", { GRANTOPS_GITHUB_PRIVATE_KEY: PEM }],
    ["an inline key with literal \\n", { GRANTOPS_GITHUB_PRIVATE_KEY: PEM.trim().replaceAll("\n", "\\n") }],
    ["a key file", { GRANTOPS_GITHUB_PRIVATE_KEY_FILE: "/run/secrets/app.pem" }],
  ])("reads a GitHub App setup with %s", (_name, key) => {
    const config = readGitHubConfig(
      {
        GRANTOPS_GITHUB_APP_ID: "123",
        GRANTOPS_GITHUB_INSTALLATION_ID: "4567",
        GITHUB_REPOSITORY: "acme/grants",
        ...key,
      },
      readFile,
    );
    expect(config).toEqual({
      appId: "123",
      privateKey: PEM,
      installationId: 4567,
      baseUrl: "https://api.github.com",
      owner: "acme",
      repo: "grants",
    });
  });

  it.each<[string, Record<string, string>, string[]]>([
    [
      "an API URL without credentials",
      {
        GRANTOPS_GITHUB_REPOSITORY: "acme/grants",
        GRANTOPS_GITHUB_API_URL: "https://ghe.example.com/api/v3",
      },
      [
        "no GitHub credentials: set GRANTOPS_GITHUB_TOKEN, or GRANTOPS_GITHUB_APP_ID, GRANTOPS_GITHUB_PRIVATE_KEY (or GRANTOPS_GITHUB_PRIVATE_KEY_FILE) and GRANTOPS_GITHUB_INSTALLATION_ID",
      ],
    ],
    [
      "token and app together, bad URL, no repository",
      {
        GRANTOPS_GITHUB_TOKEN: "ghp_secretvalue",
        GRANTOPS_GITHUB_APP_ID: "1",
        GRANTOPS_GITHUB_API_URL: "ftp://x",
      },
      [
        "set either GRANTOPS_GITHUB_TOKEN or the GitHub App settings (GRANTOPS_GITHUB_APP_ID), not both",
        "GRANTOPS_GITHUB_API_URL must be an http(s) URL such as https://github.example.com/api/v3",
        'GRANTOPS_GITHUB_REPOSITORY (or GITHUB_REPOSITORY) is required: "owner/name" of the grants repository',
      ],
    ],
    [
      "partial app settings",
      { GRANTOPS_GITHUB_APP_ID: "abc", GRANTOPS_GITHUB_REPOSITORY: "acme" },
      [
        "GRANTOPS_GITHUB_APP_ID must be a numeric App ID or a client ID (Iv…)",
        "GRANTOPS_GITHUB_PRIVATE_KEY or GRANTOPS_GITHUB_PRIVATE_KEY_FILE is required for GitHub App authentication",
        "GRANTOPS_GITHUB_INSTALLATION_ID is required for GitHub App authentication",
        'GRANTOPS_GITHUB_REPOSITORY must be "owner/name" (letters, digits, "-", "_", ".")',
      ],
    ],
    [
      "unreadable key file, bad installation id, URL with credentials",
      {
        GRANTOPS_GITHUB_APP_ID: "12",
        GRANTOPS_GITHUB_PRIVATE_KEY_FILE: "/nope.pem",
        GRANTOPS_GITHUB_INSTALLATION_ID: "-3",
        GRANTOPS_GITHUB_API_URL: "https://user:hunter2-secret@ghe.example.com/api/v3",
        GITHUB_REPOSITORY: "acme/grants",
      },
      [
        "GRANTOPS_GITHUB_PRIVATE_KEY_FILE: cannot read /nope.pem (ENOENT)",
        "GRANTOPS_GITHUB_INSTALLATION_ID must be a positive integer",
        "GRANTOPS_GITHUB_API_URL must not carry credentials, a query or a fragment",
      ],
    ],
    [
      "key and key file together; a file that holds no key",
      {
        GRANTOPS_GITHUB_APP_ID: "12",
        GRANTOPS_GITHUB_PRIVATE_KEY: "hunter2-secret",
        GRANTOPS_GITHUB_PRIVATE_KEY_FILE: "/run/secrets/not-a-key",
        GRANTOPS_GITHUB_INSTALLATION_ID: "9",
        GITHUB_REPOSITORY: "acme/grants",
      },
      ["set either GRANTOPS_GITHUB_PRIVATE_KEY or GRANTOPS_GITHUB_PRIVATE_KEY_FILE, not both"],
    ],
    [
      "an inline value that is not a key",
      {
        GRANTOPS_GITHUB_APP_ID: "12",
        GRANTOPS_GITHUB_PRIVATE_KEY: "hunter2-secret",
        GRANTOPS_GITHUB_INSTALLATION_ID: "9",
        GITHUB_REPOSITORY: "acme/grants",
      },
      ["GRANTOPS_GITHUB_PRIVATE_KEY does not hold a PEM private key"],
    ],
  ])("reports every problem at once, without secrets: %s", (_name, env, expected) => {
    const problems = problemsOf(env);
    expect(problems).toEqual(expected);
    expect(problems.join("\n")).not.toMatch(/hunter2|ghp_secretvalue|MIIE/);
  });
});
