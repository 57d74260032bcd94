import type { ErrorObject } from "ajv";
import type { Locate } from "../core/validate/validate-grant.js";
import type { Problem } from "../core/model/types.js";

type Path = Array<string | number>;

/** Friendly descriptions of the formats the schemas check with a pattern or format. */
const FORMAT_HINTS: Record<string, string> = {
  duration: "must be a duration such as 90s, 30m, 4h, 2d, 1h30m or PT4H",
  maxDuration: "must be a duration such as 90s, 30m, 4h, 2d, 1h30m or PT4H",
  expiresAt: "must be an RFC 3339 timestamp with a time zone, e.g. 2026-11-26T18:00:00Z",
  startsAt: "must be an RFC 3339 timestamp with a time zone, e.g. 2026-11-26T09:00:00Z",
  ticket: "may only contain letters, digits and . _ # / -",
  organization: "must be a lowercase alias such as acme (a-z, 0-9, _ and -)",
  credentials: "must be an uppercase alias such as ACME (A-Z, 0-9 and _)",
  apiBaseUrl: "must start with https:// or http://",
};

/**
 * Turns ajv errors into positioned problems: additionalProperties points at the unknown key, required at the
 * mapping that lacks it, everything else at the offending value. oneOf noise collapses into one message.
 */
export function schemaProblems(
  errors: ErrorObject[],
  data: Record<string, unknown>,
  file: string,
  locate: Locate,
): Problem[] {
  const oneOfs = errors.filter((e) => e.keyword === "oneOf");
  const kept = errors.filter(
    (e) => !oneOfs.some((o) => e !== o && isInside(e, o)) && !isPropertyNameDetail(e),
  );
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const error of kept) {
    const { code, path, part, message } = describe(error, data);
    const { line, column } = locate(path, part);
    const problem: Problem = { severity: "error", code, file, line, column, message };
    const key = `${line}:${column}:${code}:${message}`;
    if (!seen.has(key)) problems.push(problem);
    seen.add(key);
  }
  return problems;
}

function isInside(error: ErrorObject, oneOf: ErrorObject): boolean {
  const samePlace =
    error.instancePath === oneOf.instancePath || error.instancePath.startsWith(`${oneOf.instancePath}/`);
  return samePlace && error.schemaPath.startsWith(`${oneOf.schemaPath}/`);
}

function isPropertyNameDetail(error: ErrorObject): boolean {
  return error.keyword !== "propertyNames" && error.schemaPath.includes("/propertyNames/");
}

interface Described {
  code: string;
  path: Path;
  part?: "key";
  message: string;
}

function describe(error: ErrorObject, data: Record<string, unknown>): Described {
  const path = toPath(error.instancePath);
  const label = labelOf(path);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params["additionalProperty"]);
      return {
        code: "unknown-field",
        path: [...path, key],
        part: "key",
        message: `unknown field "${key}"${where(label)}`,
      };
    }
    case "required":
      return {
        code: "missing-field",
        path,
        message: `missing required field "${String(params["missingProperty"])}"${where(label)}`,
      };
    case "propertyNames": {
      const key = String(params["propertyName"]);
      return {
        code: "schema",
        path: [...path, key],
        part: "key",
        message: `key "${key}"${where(label)} ${keyHint(path)}`,
      };
    }
    case "oneOf":
      return describeOneOf(error, path, label);
    case "not":
      return describeNot(error, path, label, data);
    case "pattern":
    case "format":
      return {
        code: "schema",
        path,
        message: `${label} ${hintFor(path) ?? `must match ${error.keyword} ${JSON.stringify(params[error.keyword])}`}`,
      };
    case "const":
      return { code: "schema", path, message: `${label} must be ${JSON.stringify(params["allowedValue"])}` };
    default:
      return { code: "schema", path, message: `${label} ${error.message ?? "is invalid"}` };
  }
}

/** The grant schema's only `not`: duration and expiresAt together (neither is checked with the policy's defaults). */
function describeNot(
  error: ErrorObject,
  path: Path,
  label: string,
  data: Record<string, unknown>,
): Described {
  if (error.schemaPath === "#/not" && path.length === 0 && "duration" in data && "expiresAt" in data) {
    return {
      code: "duration-or-expiry",
      path: ["expiresAt"],
      part: "key",
      message: "at most one of duration and expiresAt: this file has both",
    };
  }
  return { code: "schema", path, message: `${label} ${error.message ?? "is invalid"}` };
}

function describeOneOf(error: ErrorObject, path: Path, label: string): Described {
  if (error.schemaPath.includes("userRef")) {
    return { code: "invalid-user", path, message: `${label} must be an email/UPN or {id: N}` };
  }
  if (error.schemaPath.includes("groupRef")) {
    return { code: "invalid-group", path, message: `${label} must be a group name or {id: N}` };
  }
  if (error.schemaPath.includes("resourceRef")) {
    return {
      code: "invalid-resource",
      path,
      message: `${label} must be a resource name (letters, digits, spaces, -; at most 50) or {id: N}`,
    };
  }
  return { code: "schema", path, message: `${label} matches none or several of its allowed forms` };
}

function hintFor(path: Path): string | undefined {
  const last = path.at(-1);
  if (typeof last === "string" && FORMAT_HINTS[last]) return FORMAT_HINTS[last];
  if (path.includes("requesters") || path.includes("approvers") || path.includes("notify")) {
    return "must be a GitHub team (@org/team) or login";
  }
  return undefined;
}

function keyHint(path: Path): string {
  if (path.at(-1) === "organizations") return "must be a lowercase alias such as acme (a-z, 0-9, _ and -)";
  if (path.at(-1) === "people") return "must be a GitHub login";
  return "is not allowed";
}

function where(label: string): string {
  return label === "the file" ? "" : ` in ${label}`;
}

function toPath(pointer: string): Path {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"))
    .map((segment) => (/^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment));
}

/** users[1], resources[0].match.name, or "the file" for the top level. */
export function labelOf(path: Path): string {
  if (path.length === 0) return "the file";
  return path
    .map((segment, index) =>
      typeof segment === "number" ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
    )
    .join("");
}
