import { inspect } from "node:util";
import { InvalidInputError } from "../core/model/grantops-error.js";
import { parseDuration } from "../core/time/duration.js";

/** Settings of `grantops serve`, read once (flags > environment > defaults) and frozen. */
export interface ServeConfig {
  /** The grants repository, as for plan/apply: a local path or a clone URL. */
  readonly repo: string;
  /** `owner/name` on GitHub (GRANTOPS_GITHUB_REPOSITORY, else GITHUB_REPOSITORY); webhook events of other repositories are ignored. */
  readonly githubRepository: string | undefined;
  /** The branch grants land on; undefined = the repository's default branch. */
  readonly branch: string | undefined;
  readonly host: string;
  /** 0 = any free port. */
  readonly port: number;
  /** Never printed: JSON.stringify and util.inspect of the config show "[redacted]". */
  readonly webhookSecret: string;
  readonly intervalMs: number;
  readonly trustGit: boolean;
  readonly maxDeletes: number;
  readonly journal: string | undefined;
  /** Who may read GET /status and /status.json (off unless configured). Never printed. */
  readonly statusAccess: StatusAccess;
}

/**
 * Access to the status page: a bearer token (GRANTOPS_STATUS_TOKEN), basic-auth credentials
 * (GRANTOPS_STATUS_USER and GRANTOPS_STATUS_PASSWORD), or, with GRANTOPS_STATUS_LOOPBACK=1 and a loopback
 * --host, anyone on this machine. Otherwise the page is off.
 */
export type StatusAccess =
  | { kind: "off" }
  | { kind: "token"; token: string }
  | { kind: "basic"; user: string; password: string }
  | { kind: "loopback" };

/** Command-line flags of `grantops serve` (commander's camelCase names). */
export interface ServeFlags {
  repo?: string;
  branch?: string;
  host?: string;
  port?: string | number;
  interval?: string;
  trustGit?: boolean;
  maxDeletes?: string | number;
  journal?: string;
}

/** Every problem of the serve configuration at once. */
export class ServeConfigError extends InvalidInputError {
  readonly problems: readonly string[];
  constructor(problems: string[]) {
    super("config.invalid", `invalid serve configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ServeConfigError";
    this.problems = problems;
  }
}

export const SERVE_DEFAULTS = { host: "127.0.0.1", port: 8080, interval: "5m", maxDeletes: 25 } as const;

const REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const BRANCH = /^(?!\/|.*\/\/|.*\.\.|.*\/$|.*\.lock$)[A-Za-z0-9._/-]{1,200}$/;
const MIN_INTERVAL_MS = 10_000;
const MAX_INTERVAL_MS = 24 * 60 * 60 * 1000;

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates the serve settings; throws ServeConfigError listing every problem. */
export function readServeConfig(
  flags: ServeFlags,
  env: Env,
  readFile: (path: string) => string,
): ServeConfig {
  const problems: string[] = [];
  const pick = (flag: string | number | undefined, name: string): string | undefined => {
    const value = flag === undefined ? env[name] : String(flag);
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  };
  const config = {
    repo: readRepo(pick(flags.repo, "GRANTOPS_REPO"), problems),
    githubRepository: readGithubRepository(env, problems),
    branch: readBranch(pick(flags.branch, "GRANTOPS_BRANCH"), problems),
    host: pick(flags.host, "GRANTOPS_HOST") ?? SERVE_DEFAULTS.host,
    port: readInteger(
      pick(flags.port, "GRANTOPS_PORT"),
      SERVE_DEFAULTS.port,
      65_535,
      "--port / GRANTOPS_PORT",
      problems,
    ),
    webhookSecret: readSecret(env, readFile, problems),
    intervalMs: readInterval(pick(flags.interval, "GRANTOPS_RECONCILE_INTERVAL"), problems),
    trustGit: readBoolean(flags.trustGit, env["GRANTOPS_TRUST_GIT"], problems),
    maxDeletes: readInteger(
      pick(flags.maxDeletes, "GRANTOPS_MAX_DELETES"),
      SERVE_DEFAULTS.maxDeletes,
      1_000_000,
      "--max-deletes / GRANTOPS_MAX_DELETES",
      problems,
    ),
    journal: pick(flags.journal, "GRANTOPS_JOURNAL"),
    statusAccess: { kind: "off" } as StatusAccess,
  };
  config.statusAccess = readStatusAccess(env, config.host, problems);
  if (problems.length > 0) throw new ServeConfigError(problems);
  return redacting(config);
}

function readRepo(value: string | undefined, problems: string[]): string {
  if (value === undefined) problems.push("--repo / GRANTOPS_REPO is required (a local path or a clone URL)");
  return value ?? "";
}

function readGithubRepository(env: Env, problems: string[]): string | undefined {
  const name = env["GRANTOPS_GITHUB_REPOSITORY"] ? "GRANTOPS_GITHUB_REPOSITORY" : "GITHUB_REPOSITORY";
  const value = env[name]?.trim() || undefined;
  if (value !== undefined && !REPO.test(value)) {
    problems.push(`${name} must be owner/name, got ${JSON.stringify(value)}`);
  }
  return value;
}

function readBranch(value: string | undefined, problems: string[]): string | undefined {
  if (value !== undefined && !BRANCH.test(value)) {
    problems.push(`--branch / GRANTOPS_BRANCH is not a valid branch name: ${JSON.stringify(value)}`);
  }
  return value;
}

function readInteger(
  value: string | undefined,
  fallback: number,
  max: number,
  label: string,
  problems: string[],
): number {
  if (value === undefined) return fallback;
  const number = /^[0-9]+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number) || number > max) {
    problems.push(`${label} must be an integer from 0 to ${max}, got ${JSON.stringify(value)}`);
    return fallback;
  }
  return number;
}

function readInterval(value: string | undefined, problems: string[]): number {
  const ms = parseDuration(value ?? SERVE_DEFAULTS.interval);
  if (ms === null || ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) {
    problems.push(
      `--interval / GRANTOPS_RECONCILE_INTERVAL must be a duration from 10s to 24h (90s, 30m, 4h), got ${JSON.stringify(value)}`,
    );
    return parseDuration(SERVE_DEFAULTS.interval) ?? 300_000;
  }
  return ms;
}

function readBoolean(flag: boolean | undefined, value: string | undefined, problems: string[]): boolean {
  if (flag !== undefined) return flag;
  if (value === undefined || value === "" || value === "0" || value.toLowerCase() === "false") return false;
  if (value === "1" || value.toLowerCase() === "true") return true;
  problems.push(`GRANTOPS_TRUST_GIT must be 1 or 0, got ${JSON.stringify(value)}`);
  return false;
}

function readSecret(env: Env, readFile: (path: string) => string, problems: string[]): string {
  const inline = env["GRANTOPS_WEBHOOK_SECRET"];
  const file = env["GRANTOPS_WEBHOOK_SECRET_FILE"];
  if (inline && file) {
    problems.push("set only one of GRANTOPS_WEBHOOK_SECRET and GRANTOPS_WEBHOOK_SECRET_FILE");
    return "";
  }
  if (file)
    return strongSecret(readSecretFile(file, readFile, problems), "GRANTOPS_WEBHOOK_SECRET_FILE", problems);
  if (!inline) problems.push("GRANTOPS_WEBHOOK_SECRET or GRANTOPS_WEBHOOK_SECRET_FILE is required");
  return strongSecret(inline ?? "", "GRANTOPS_WEBHOOK_SECRET", problems);
}

/** A guessable secret lets anyone on the network forge deliveries: at least 16 non-blank characters. */
export const MIN_SECRET_CHARS = 16;

function strongSecret(secret: string, name: string, problems: string[]): string {
  const nonBlank = secret.replace(/\s/g, "").length;
  if (secret !== "" && nonBlank < MIN_SECRET_CHARS) {
    problems.push(
      `${name} must have at least ${MIN_SECRET_CHARS} non-blank characters (it has ${nonBlank}); ` +
        "generate one with `openssl rand -hex 32` and set the same value on the GitHub webhook",
    );
  }
  return secret;
}

function readSecretFile(path: string, readFile: (path: string) => string, problems: string[]): string {
  let secret: string;
  try {
    secret = readFile(path).trim();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    problems.push(
      `cannot read GRANTOPS_WEBHOOK_SECRET_FILE ${path}${typeof code === "string" ? ` (${code})` : ""}`,
    );
    return "";
  }
  if (secret === "") problems.push(`GRANTOPS_WEBHOOK_SECRET_FILE ${path} is empty`);
  return secret;
}

const MIN_STATUS_TOKEN = 16;

function readStatusAccess(env: Env, host: string, problems: string[]): StatusAccess {
  const token = env["GRANTOPS_STATUS_TOKEN"];
  const user = env["GRANTOPS_STATUS_USER"];
  const password = env["GRANTOPS_STATUS_PASSWORD"];
  const loopback = env["GRANTOPS_STATUS_LOOPBACK"];
  if (loopback !== undefined && loopback !== "" && loopback !== "0" && loopback !== "1") {
    problems.push(`GRANTOPS_STATUS_LOOPBACK must be 1 or 0, got ${JSON.stringify(loopback)}`);
  }
  if (token && (user || password)) {
    problems.push("set GRANTOPS_STATUS_TOKEN or GRANTOPS_STATUS_USER/GRANTOPS_STATUS_PASSWORD, not both");
    return { kind: "off" };
  }
  if (token) {
    if (token.length < MIN_STATUS_TOKEN)
      problems.push(`GRANTOPS_STATUS_TOKEN must be at least ${MIN_STATUS_TOKEN} characters`);
    return { kind: "token", token };
  }
  if (user || password) {
    if (!user || !password) problems.push("set both GRANTOPS_STATUS_USER and GRANTOPS_STATUS_PASSWORD");
    else if (user.includes(":")) problems.push("GRANTOPS_STATUS_USER must not contain a colon");
    return user && password ? { kind: "basic", user, password } : { kind: "off" };
  }
  if (loopback !== "1") return { kind: "off" };
  if (!isLoopbackHost(host)) {
    problems.push(
      `GRANTOPS_STATUS_LOOPBACK=1 needs a loopback --host (127.0.0.1 or ::1), got ${JSON.stringify(host)}`,
    );
    return { kind: "off" };
  }
  return { kind: "loopback" };
}

/** 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").replace(/^::ffff:/, "");
  return bare === "localhost" || bare === "::1" || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** Freezes the config with non-enumerable toJSON / inspect / toString that hide the secret. */
function redacting(config: ServeConfig): ServeConfig {
  const safe = (): object => ({
    ...config,
    webhookSecret: "[redacted]",
    statusAccess: { kind: config.statusAccess.kind },
  });
  const hidden = (value: unknown): PropertyDescriptor => ({ value, enumerable: false });
  Object.defineProperties(config, {
    toJSON: hidden(safe),
    toString: hidden(() => `ServeConfig ${JSON.stringify(safe())}`),
    [inspect.custom]: hidden(() => safe()),
  });
  return Object.freeze(config);
}
