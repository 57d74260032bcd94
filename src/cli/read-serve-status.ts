import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { GrantopsError, InvalidInputError } from "../core/model/grantops-error.js";
import { ExitCode } from "../core/model/exit-codes.js";
import type { StatusReport } from "../core/model/status-report.js";
import { readSchema } from "../grants/schema-validators.js";

type Env = Readonly<Record<string, string | undefined>>;

let validator: ValidateFunction | undefined;

/**
 * Reads serve's GET /status.json (credentials from GRANTOPS_STATUS_TOKEN, else GRANTOPS_STATUS_USER and
 * GRANTOPS_STATUS_PASSWORD) and checks it against schemas/status.schema.json: an answer that is not a status
 * report is an error, never an empty status.
 */
export async function readServeStatus(
  base: string,
  env: Env,
  fetchImpl: typeof fetch,
): Promise<StatusReport> {
  const url = statusUrl(base);
  const response = await fetchImpl(url, { headers: authorizationHeaders(env) }).catch((error: unknown) => {
    throw unreadable(`cannot reach ${url.origin}`, error);
  });
  const text = await response.text();
  if (!response.ok) throw unreadable(`${url.origin}/status.json answered ${response.status}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw unreadable(`${url.origin}/status.json is not JSON`, error);
  }
  validator ??= new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(
    readSchema("status.schema.json"),
  );
  if (!validator(value))
    throw unreadable(`${url.origin}/status.json is not a grantops status report (version 1)`);
  return value as StatusReport;
}

function statusUrl(base: string): URL {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new InvalidInputError("bad-serve-url", `--serve ${JSON.stringify(base)}: use http(s)://host:port`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InvalidInputError("bad-serve-url", `--serve must be an http(s) URL, got ${url.protocol}`);
  }
  return new URL("/status.json", url.origin);
}

function authorizationHeaders(env: Env): Record<string, string> {
  const token = env["GRANTOPS_STATUS_TOKEN"];
  if (token) return { authorization: `Bearer ${token}` };
  const user = env["GRANTOPS_STATUS_USER"];
  const password = env["GRANTOPS_STATUS_PASSWORD"];
  if (user && password)
    return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` };
  return {};
}

function unreadable(message: string, cause?: unknown): GrantopsError {
  return new GrantopsError("serve-status-unreadable", message, { exitCode: ExitCode.internal, cause });
}
