import { InvalidInputError } from "../core/model/grantops-error.js";

export const DEFAULT_API_URL = "https://api.sse.cisco.com";
export const GOV_API_URL = "https://api.secureaccessfed.cisco.com";

export interface VendorConfig {
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  /** Where the settings came from (names, never values), for the line saying which alias a command used. */
  source: VendorConfigSource;
}

export interface VendorConfigSource {
  /** "ACME" when GRANTOPS_ACME_API_* are used, null for the generic GRANTOPS_API_*. */
  alias: string | null;
  /** The variable names of the key and secret, e.g. "GRANTOPS_ACME_API_KEY / GRANTOPS_ACME_API_SECRET". */
  credentials: string;
  /** Where the URL came from: a variable name, "policy apiBaseUrl" or "default". */
  url: string;
}

export interface VendorOrgRef {
  /** Organization alias in policy.yaml (e.g. "acme"), for messages. */
  alias: string;
  /** Credentials alias (e.g. "ACME" → GRANTOPS_ACME_API_KEY); "" for the generic variables only. */
  credentials: string;
  apiBaseUrl?: string;
}

/**
 * Vendor settings for one organization. URL, key and secret always come from the same set, so credentials are
 * never sent to another endpoint than their own:
 * - the credentials alias ACME is used as soon as one of GRANTOPS_ACME_API_KEY, _API_SECRET, _API_URL (or the
 *   _FILE variants) is set: key and secret from GRANTOPS_ACME_API_KEY / _API_SECRET, URL from GRANTOPS_ACME_API_URL,
 *   else the organization's apiBaseUrl, else the commercial cloud (never the generic GRANTOPS_API_URL);
 * - otherwise GRANTOPS_API_KEY / GRANTOPS_API_SECRET, URL from the organization's apiBaseUrl, else GRANTOPS_API_URL,
 *   else the commercial cloud.
 * The policy's apiBaseUrl (which a pull request can change) is honoured only for the Secure Access clouds and
 * loopback; any other endpoint must come from the environment. Every problem is reported at once
 * (InvalidInputError), never a value.
 */
export function readVendorConfig(
  env: Record<string, string | undefined>,
  org: VendorOrgRef,
  readFile?: (path: string) => string,
): VendorConfig {
  const problems: string[] = [];
  const alias = aliasInUse(env, org.credentials);
  const prefix = alias === null ? "GRANTOPS_" : `GRANTOPS_${alias}_`;
  const apiKey = readSecret(env, `${prefix}API_KEY`, readFile, problems);
  const apiSecret = readSecret(env, `${prefix}API_SECRET`, readFile, problems);
  if (alias === null && apiKey === undefined && apiSecret === undefined && org.credentials.trim() !== "") {
    const own = `GRANTOPS_${envName(org.credentials)}_API_`;
    problems.push(
      `or set the organization's own ${own}KEY and ${own}SECRET (or ${own}KEY_FILE and ${own}SECRET_FILE)`,
    );
  }
  const url = readUrl(env, alias, org, problems);
  if (problems.length > 0) {
    throw new InvalidInputError(
      "VENDOR_CONFIG_MISSING",
      `Secure Access configuration for organization "${org.alias}" is incomplete: ${problems.join("; ")}`,
    );
  }
  return {
    baseUrl: url.value.replace(/\/+$/, ""),
    apiKey: apiKey ?? "",
    apiSecret: apiSecret ?? "",
    source: { alias, credentials: `${prefix}API_KEY / ${prefix}API_SECRET`, url: url.from },
  };
}

/** One line saying which settings an organization's client uses (no values but the URL). */
export function describeVendorSource(organization: string, config: VendorConfig): string {
  const alias =
    config.source.alias === null ? "generic credentials" : `credentials alias ${config.source.alias}`;
  return `organization "${organization}": ${alias} (${config.source.credentials}), URL ${config.baseUrl} (from ${config.source.url})`;
}

/** "acme-prod" → "ACME_PROD". */
export function envName(alias: string): string {
  return alias.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}

/**
 * Whether Secure Access credentials for an organization are in the environment at all: a variable of its
 * credentials alias, or the generic key or secret (the URL alone is not credentials). `grantops request` checks
 * names only then; an incomplete set is still an error (readVendorConfig says what is missing).
 */
export function vendorConfigured(env: Record<string, string | undefined>, credentials: string): boolean {
  if (aliasInUse(env, credentials) !== null) return true;
  return ["API_KEY", "API_SECRET", "API_KEY_FILE", "API_SECRET_FILE"].some(
    (variable) => nonEmpty(env[`GRANTOPS_${variable}`]) !== undefined,
  );
}

const ALIAS_VARIABLES = ["API_KEY", "API_SECRET", "API_URL", "API_KEY_FILE", "API_SECRET_FILE"];

/** The credentials alias as an environment name when any of its variables is set, else null. */
function aliasInUse(env: Record<string, string | undefined>, credentials: string): string | null {
  const name = envName(credentials.trim());
  if (name === "" || name === "_") return null;
  return ALIAS_VARIABLES.some((variable) => nonEmpty(env[`GRANTOPS_${name}_${variable}`]) !== undefined)
    ? name
    : null;
}

function readUrl(
  env: Record<string, string | undefined>,
  alias: string | null,
  org: VendorOrgRef,
  problems: string[],
): { value: string; from: string } {
  const own = alias === null ? undefined : nonEmpty(env[`GRANTOPS_${alias}_API_URL`]);
  const policy = nonEmpty(org.apiBaseUrl);
  const generic = alias === null ? nonEmpty(env["GRANTOPS_API_URL"]) : undefined;
  const found =
    own !== undefined
      ? { value: own, from: `GRANTOPS_${alias}_API_URL` }
      : policy !== undefined
        ? { value: policy, from: "policy apiBaseUrl" }
        : generic !== undefined
          ? { value: generic, from: "GRANTOPS_API_URL" }
          : { value: DEFAULT_API_URL, from: "default" };
  if (!URL.canParse(found.value) || !/^https?:$/.test(new URL(found.value).protocol)) {
    problems.push(`the Secure Access API URL for organization "${org.alias}" is not an http(s) URL`);
  } else if (found.from === "policy apiBaseUrl" && !trustedPolicyUrl(found.value)) {
    const variable = alias === null ? "GRANTOPS_API_URL" : `GRANTOPS_${alias}_API_URL`;
    problems.push(
      `the policy's apiBaseUrl for organization "${org.alias}" is neither a Secure Access cloud ` +
        `(${DEFAULT_API_URL}, ${GOV_API_URL}) nor loopback; set ${variable} in the environment to use another endpoint`,
    );
  }
  return found;
}

/** The Secure Access clouds and loopback: what a grants repository may point credentials at. */
function trustedPolicyUrl(text: string): boolean {
  const url = new URL(text);
  if (url.username !== "" || url.password !== "") return false;
  if (url.protocol === "https:" && [DEFAULT_API_URL, GOV_API_URL].includes(url.origin)) return true;
  return ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

/** `name` set directly or through NAME_FILE; records a problem (never the value) otherwise. */
function readSecret(
  env: Record<string, string | undefined>,
  name: string,
  readFile: ((path: string) => string) | undefined,
  problems: string[],
): string | undefined {
  const direct = nonEmpty(env[name]);
  if (direct !== undefined) return direct;
  const file = nonEmpty(env[`${name}_FILE`]);
  if (file === undefined) {
    problems.push(`set ${name} (or ${name}_FILE)`);
    return undefined;
  }
  if (readFile === undefined) {
    problems.push(`${name}_FILE is set but files cannot be read here`);
    return undefined;
  }
  try {
    const value = nonEmpty(readFile(file));
    if (value !== undefined) return value;
    problems.push(`${name}_FILE (${file}) is empty`);
  } catch {
    problems.push(`${name}_FILE (${file}) cannot be read`);
  }
  return undefined;
}
