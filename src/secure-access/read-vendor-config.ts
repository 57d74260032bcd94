import { InvalidInputError } from "../core/model/grantops-error.js";

export const DEFAULT_API_URL = "https://api.sse.cisco.com";
export const GOV_API_URL = "https://api.secureaccessfed.cisco.com";

export interface VendorConfig {
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
}

export interface VendorOrgRef {
  /** Organization alias in policy.yaml (e.g. "acme"). */
  alias: string;
  /** Credentials alias (e.g. "ACME" → GRANTOPS_ACME_API_KEY). */
  credentials: string;
  apiBaseUrl?: string;
}

/**
 * Vendor settings for one organization:
 * - base URL: GRANTOPS_<ALIAS>_API_URL, else the org's apiBaseUrl, else GRANTOPS_API_URL, else the commercial cloud;
 * - key/secret: GRANTOPS_<CREDENTIALS>_API_KEY / _API_SECRET (or their _FILE variants), else GRANTOPS_API_KEY /
 *   GRANTOPS_API_SECRET (or _FILE). Every missing variable is reported at once (InvalidInputError).
 */
export function readVendorConfig(
  env: Record<string, string | undefined>,
  org: VendorOrgRef,
  readFile?: (path: string) => string,
): VendorConfig {
  const problems: string[] = [];
  const alias = envName(org.alias);
  const creds = envName(org.credentials);
  const apiKey = readSecret(env, [`GRANTOPS_${creds}_API_KEY`, "GRANTOPS_API_KEY"], readFile, problems);
  const apiSecret = readSecret(
    env,
    [`GRANTOPS_${creds}_API_SECRET`, "GRANTOPS_API_SECRET"],
    readFile,
    problems,
  );
  const baseUrl =
    nonEmpty(env[`GRANTOPS_${alias}_API_URL`]) ??
    nonEmpty(org.apiBaseUrl) ??
    nonEmpty(env["GRANTOPS_API_URL"]) ??
    DEFAULT_API_URL;
  if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
    problems.push(`the Secure Access API URL for organization "${org.alias}" is not an http(s) URL`);
  }
  if (problems.length > 0) {
    throw new InvalidInputError(
      "VENDOR_CONFIG_MISSING",
      `Secure Access configuration for organization "${org.alias}" is incomplete: ${problems.join("; ")}`,
    );
  }
  return { baseUrl: baseUrl.replace(/\/+$/, ""), apiKey: apiKey ?? "", apiSecret: apiSecret ?? "" };
}

/** "acme-prod" → "ACME_PROD". */
export function envName(alias: string): string {
  return alias.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

/** The first of `names` set directly or through NAME_FILE; records a problem (never the value) otherwise. */
function readSecret(
  env: Record<string, string | undefined>,
  names: string[],
  readFile: ((path: string) => string) | undefined,
  problems: string[],
): string | undefined {
  for (const name of names) {
    const direct = nonEmpty(env[name]);
    if (direct !== undefined) return direct;
    const file = nonEmpty(env[`${name}_FILE`]);
    if (file === undefined) continue;
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
  problems.push(`set ${names.map((n) => `${n} (or ${n}_FILE)`).join(" or ")}`);
  return undefined;
}
