import { InvalidInputError } from "../core/model/grantops-error.js";

/** What an injected fault does: an HTTP status, `reset` (destroy the socket), `timeout` (never answer), `lost` (do the work, then drop the reply). */
export type FaultOutcome = number | "reset" | "timeout" | "lost";

/** Probability kinds of the spec, in the order one random draw is matched against them. */
export const faultKinds = ["429", "500", "502", "503", "409", "reset", "timeout", "lost"] as const;
export type FaultKind = (typeof faultKinds)[number];

/** Route groups a spec's `routes` may name (joined with `+`). */
export const routeGroups = [
  "all",
  "writes",
  "reads",
  "rules",
  "token",
  "policies",
  "privateresources",
  "reports",
] as const;

/**
 * A fault spec as users write it: the string form `429=0.1,500=0.05,latency=20-200ms,failNext=3:503,routes=writes`
 * or the same keys as a JSON object (values may be numbers, strings or the object forms shown).
 */
export interface FaultSpec {
  "429"?: number | string;
  "500"?: number | string;
  "502"?: number | string;
  "503"?: number | string;
  "409"?: number | string;
  reset?: number | string;
  timeout?: number | string;
  lost?: number | string;
  latency?: string | number | { minMs: number; maxMs: number };
  failNext?: string | number | { count: number; status?: FaultOutcome };
  failNth?: string | number | { n: number; status?: FaultOutcome };
  /** "on", "off", a boolean, or the Retry-After seconds. */
  retryAfter?: boolean | number | string;
  routes?: string;
  timeoutMs?: number | string;
}

/** A parsed, validated spec. */
export interface FaultPlan {
  rates: Array<[FaultKind, number]>;
  latency?: { minMs: number; maxMs: number };
  failNext?: { count: number; outcome: FaultOutcome };
  failNth?: { n: number; outcome: FaultOutcome };
  /** Retry-After seconds sent with an injected 429, or false for none. Default 1. */
  retryAfterSeconds: number | false;
  routes: string[];
  /** How long a `timeout` fault holds the socket before destroying it. Default 30 s. */
  timeoutMs: number;
}

export function emptyFaultPlan(): FaultPlan {
  return { rates: [], retryAfterSeconds: 1, routes: ["all"], timeoutMs: 30_000 };
}

/** Parses a fault spec (string or object); throws InvalidInputError listing every problem. */
export function parseFaultSpec(input: string | FaultSpec | undefined): FaultPlan {
  const plan = emptyFaultPlan();
  const problems: string[] = [];
  for (const [key, value] of specEntries(input)) applyEntry(plan, key, value, problems);
  const total = plan.rates.reduce((sum, [, rate]) => sum + rate, 0);
  if (total > 1) problems.push(`the probabilities add up to ${total}, more than 1`);
  if (problems.length > 0) {
    throw new InvalidInputError("EMULATOR_FAULTS_INVALID", `invalid fault spec: ${problems.join("; ")}`);
  }
  return plan;
}

function specEntries(input: string | FaultSpec | undefined): Array<[string, unknown]> {
  if (input === undefined) return [];
  if (typeof input !== "string") return Object.entries(input);
  const text = input.trim();
  if (text === "" || text === "none" || text === "off") return [];
  return text.split(",").map((part): [string, unknown] => {
    const eq = part.indexOf("=");
    return eq < 0 ? [part.trim(), undefined] : [part.slice(0, eq).trim(), part.slice(eq + 1).trim()];
  });
}

function applyEntry(plan: FaultPlan, key: string, value: unknown, problems: string[]): void {
  if ((faultKinds as readonly string[]).includes(key)) {
    const rate = Number(value);
    if (value === undefined || value === "" || !(rate >= 0 && rate <= 1))
      problems.push(`${key} must be a probability from 0 to 1`);
    else if (rate > 0) plan.rates.push([key as FaultKind, rate]);
    return;
  }
  const apply = entryParsers[key];
  if (!apply) {
    problems.push(`unknown key ${JSON.stringify(key)}`);
    return;
  }
  const problem = apply(plan, value);
  if (problem) problems.push(`${key}: ${problem}`);
}

type EntryParser = (plan: FaultPlan, value: unknown) => string | undefined;

const entryParsers: Record<string, EntryParser> = {
  latency: (plan, value) => {
    const latency = parseLatency(value);
    if (!latency) return "use MIN-MAXms or MSms, e.g. 20-200ms";
    plan.latency = latency;
    return undefined;
  },
  failNext: (plan, value) => {
    const parsed = parseCountAndOutcome(value, "count");
    if (!parsed)
      return "use N or N:STATUS (STATUS: an HTTP status 400-599, reset, timeout or lost), e.g. 3:503";
    plan.failNext = { count: parsed.number, outcome: parsed.outcome };
    return undefined;
  },
  failNth: (plan, value) => {
    const parsed = parseCountAndOutcome(value, "n");
    if (!parsed || parsed.number < 1) return "use N or N:STATUS, e.g. 5:500";
    plan.failNth = { n: parsed.number, outcome: parsed.outcome };
    return undefined;
  },
  retryAfter: (plan, value) => {
    if (value === "on" || value === true || value === undefined) plan.retryAfterSeconds = 1;
    else if (value === "off" || value === false) plan.retryAfterSeconds = false;
    else if (Number.isInteger(Number(value)) && Number(value) >= 0) plan.retryAfterSeconds = Number(value);
    else return "use on, off or a number of seconds";
    return undefined;
  },
  routes: (plan, value) => {
    const groups = String(value)
      .split("+")
      .map((group) => group.trim());
    const unknown = groups.filter((group) => !(routeGroups as readonly string[]).includes(group));
    if (unknown.length > 0)
      return `unknown route group(s) ${unknown.join(", ")}; use ${routeGroups.join(", ")}`;
    plan.routes = groups;
    return undefined;
  },
  timeoutMs: (plan, value) => {
    const ms = Number(value);
    if (!Number.isInteger(ms) || ms < 1) return "use a positive number of milliseconds";
    plan.timeoutMs = ms;
    return undefined;
  },
};

function parseLatency(value: unknown): { minMs: number; maxMs: number } | undefined {
  if (typeof value === "number") return value >= 0 ? { minMs: value, maxMs: value } : undefined;
  if (typeof value === "object" && value !== null) {
    const { minMs, maxMs } = value as { minMs?: unknown; maxMs?: unknown };
    return typeof minMs === "number" && typeof maxMs === "number" && minMs >= 0 && maxMs >= minMs
      ? { minMs, maxMs }
      : undefined;
  }
  const match = /^(\d+)(?:-(\d+))?(ms)?$/.exec(String(value));
  if (!match) return undefined;
  const minMs = Number(match[1]);
  const maxMs = match[2] === undefined ? minMs : Number(match[2]);
  return maxMs >= minMs ? { minMs, maxMs } : undefined;
}

function parseCountAndOutcome(
  value: unknown,
  numberKey: "count" | "n",
): { number: number; outcome: FaultOutcome } | undefined {
  let number: unknown;
  let status: unknown = 503;
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    number = record[numberKey];
    status = record["status"] ?? 503;
  } else {
    const [count, given] = String(value).split(":");
    number = Number(count);
    if (given !== undefined) status = given;
  }
  const outcome = parseOutcome(status);
  return Number.isInteger(number) && (number as number) >= 0 && outcome !== undefined
    ? { number: number as number, outcome }
    : undefined;
}

function parseOutcome(status: unknown): FaultOutcome | undefined {
  if (status === "reset" || status === "timeout" || status === "lost") return status;
  const code = Number(status);
  return Number.isInteger(code) && code >= 400 && code <= 599 ? code : undefined;
}
