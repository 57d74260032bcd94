import { InvalidInputError } from "../core/model/grantops-error.js";
import { DEFAULT_GITHUB_API_URL } from "./create-octokit.js";

/** GitHub settings read once from the environment. Holds secrets: never log or print it. */
export interface GitHubConfig {
  readonly token?: string;
  readonly appId?: string;
  readonly privateKey?: string;
  readonly installationId?: number;
  /** REST API root without a trailing slash. */
  readonly baseUrl: string;
  readonly owner: string;
  readonly repo: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

const V = {
  token: "GRANTOPS_GITHUB_TOKEN",
  appId: "GRANTOPS_GITHUB_APP_ID",
  key: "GRANTOPS_GITHUB_PRIVATE_KEY",
  keyFile: "GRANTOPS_GITHUB_PRIVATE_KEY_FILE",
  installation: "GRANTOPS_GITHUB_INSTALLATION_ID",
  apiUrl: "GRANTOPS_GITHUB_API_URL",
  repository: "GRANTOPS_GITHUB_REPOSITORY",
} as const;

/** The settings that turn the GitHub integration on. */
const TRIGGERS = [V.token, V.appId, V.key, V.keyFile, V.installation, V.apiUrl];

const APP_ID = /^(?:[1-9][0-9]{0,15}|Iv[0-9A-Za-z._-]{1,60})$/;
const INSTALLATION_ID = /^[1-9][0-9]{0,15}$/;
const REPOSITORY = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/;
const PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+-----END [A-Z ]*PRIVATE KEY-----/;

/**
 * Reads the GitHub settings: a token (GRANTOPS_GITHUB_TOKEN) or a GitHub App installation (GRANTOPS_GITHUB_APP_ID,
 * GRANTOPS_GITHUB_PRIVATE_KEY or GRANTOPS_GITHUB_PRIVATE_KEY_FILE, GRANTOPS_GITHUB_INSTALLATION_ID), the API URL and
 * the repository (GRANTOPS_GITHUB_REPOSITORY, else GITHUB_REPOSITORY as set by GitHub Actions).
 * Returns null when no credential or API URL setting is present (the repository alone, which `serve` also uses to
 * filter webhooks, does not turn GitHub on). Throws one InvalidInputError naming every problem;
 * messages name variables, never their secret values.
 */
export function readGitHubConfig(
  env: Env,
  readFile: (path: string) => string,
): Readonly<GitHubConfig> | null {
  const get = (name: string): string | undefined => nonEmpty(env[name]);
  if (TRIGGERS.every((name) => get(name) === undefined)) return null;
  const problems: string[] = [];
  const auth = readAuth(get, readFile, problems);
  const baseUrl = readApiUrl(get(V.apiUrl), problems);
  const repository = readRepository(get(V.repository) ?? get("GITHUB_REPOSITORY"), problems);
  if (problems.length > 0 || !repository) {
    throw new InvalidInputError(
      "github-config",
      `invalid GitHub configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
  return Object.freeze({ ...auth, baseUrl, ...repository });
}

type Auth = Pick<GitHubConfig, "token" | "appId" | "privateKey" | "installationId">;

function readAuth(
  get: (name: string) => string | undefined,
  readFile: (path: string) => string,
  problems: string[],
): Auth {
  const token = get(V.token);
  const appSet = [V.appId, V.key, V.keyFile, V.installation].filter((name) => get(name) !== undefined);
  if (token !== undefined && appSet.length > 0) {
    problems.push(`set either ${V.token} or the GitHub App settings (${appSet.join(", ")}), not both`);
    return {};
  }
  if (token !== undefined) {
    if (/\s/.test(token)) problems.push(`${V.token} must not contain whitespace`);
    return { token };
  }
  if (appSet.length === 0) {
    problems.push(
      `no GitHub credentials: set ${V.token}, or ${V.appId}, ${V.key} (or ${V.keyFile}) and ${V.installation}`,
    );
    return {};
  }
  return readApp(get, readFile, problems);
}

function readApp(
  get: (name: string) => string | undefined,
  readFile: (path: string) => string,
  problems: string[],
): Auth {
  const appId = get(V.appId);
  if (appId === undefined) problems.push(`${V.appId} is required for GitHub App authentication`);
  else if (!APP_ID.test(appId)) problems.push(`${V.appId} must be a numeric App ID or a client ID (Iv…)`);
  const privateKey = readPrivateKey(get, readFile, problems);
  const installation = get(V.installation);
  if (installation === undefined)
    problems.push(`${V.installation} is required for GitHub App authentication`);
  else if (!INSTALLATION_ID.test(installation)) problems.push(`${V.installation} must be a positive integer`);
  return {
    ...(appId !== undefined ? { appId } : {}),
    ...(privateKey !== undefined ? { privateKey } : {}),
    ...(installation !== undefined ? { installationId: Number(installation) } : {}),
  };
}

function readPrivateKey(
  get: (name: string) => string | undefined,
  readFile: (path: string) => string,
  problems: string[],
): string | undefined {
  const inline = get(V.key);
  const file = get(V.keyFile);
  if (inline !== undefined && file !== undefined) {
    problems.push(`set either ${V.key} or ${V.keyFile}, not both`);
    return undefined;
  }
  if (inline === undefined && file === undefined) {
    problems.push(`${V.key} or ${V.keyFile} is required for GitHub App authentication`);
    return undefined;
  }
  const text = inline ?? fileText(file ?? "", readFile, problems);
  if (text === undefined) return undefined;
  // Keys pasted into one-line settings often carry literal "\n" sequences.
  const key = text.includes("\\n") && !text.includes("\n") ? text.replaceAll("\\n", "\n") : text;
  if (!PEM.test(key)) {
    problems.push(`${inline !== undefined ? V.key : V.keyFile} does not hold a PEM private key`);
    return undefined;
  }
  return key.trim() + "\n";
}

function fileText(path: string, readFile: (path: string) => string, problems: string[]): string | undefined {
  try {
    return readFile(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    problems.push(`${V.keyFile}: cannot read ${path}${typeof code === "string" ? ` (${code})` : ""}`);
    return undefined;
  }
}

function readApiUrl(value: string | undefined, problems: string[]): string {
  if (value === undefined) return DEFAULT_GITHUB_API_URL;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${V.apiUrl} must be an http(s) URL such as https://github.example.com/api/v3`);
    return DEFAULT_GITHUB_API_URL;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    problems.push(`${V.apiUrl} must be an http(s) URL such as https://github.example.com/api/v3`);
  } else if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
    problems.push(`${V.apiUrl} must not carry credentials, a query or a fragment`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

function readRepository(
  value: string | undefined,
  problems: string[],
): { owner: string; repo: string } | null {
  if (value === undefined) {
    problems.push(
      `${V.repository} (or GITHUB_REPOSITORY) is required: "owner/name" of the grants repository`,
    );
    return null;
  }
  const match = REPOSITORY.exec(value);
  if (!match?.[1] || !match[2] || match[2] === "." || match[2] === "..") {
    problems.push(`${V.repository} must be "owner/name" (letters, digits, "-", "_", ".")`);
    return null;
  }
  return { owner: match[1], repo: match[2] };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}
