import { createAppAuth } from "@octokit/auth-app";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import type { GitHubLogger } from "./github-logger.js";

export const DEFAULT_GITHUB_API_URL = "https://api.github.com";

/** Longest wait for a primary rate-limit reset that is still worth one retry; beyond it the request fails. */
const MAX_PRIMARY_RATE_LIMIT_WAIT_S = 60;

export interface OctokitConfig {
  token?: string;
  appId?: string;
  privateKey?: string;
  installationId?: number;
  /** REST API root, default https://api.github.com; GitHub Enterprise Server: https://HOST/api/v3. */
  baseUrl?: string;
  logger: GitHubLogger;
  fetch?: typeof fetch;
  /** Retries of 5xx and network failures (default 3, backoff 1 s, 4 s, 9 s × retryAfterBaseMs/1000). */
  retries?: number;
  /** Unit of every retry wait in milliseconds (default 1000); tests set it low. */
  retryAfterBaseMs?: number;
  /** Client-side throttling of writes and rate-limit handling (default true). */
  throttle?: boolean;
}

export type GitHubClient = InstanceType<typeof GrantopsOctokit>;

const GrantopsOctokit = Octokit.plugin(retry, throttling);

/** An Octokit with retries, throttling and our logger, authenticated by token or as a GitHub App installation. */
export function createOctokit(config: OctokitConfig): GitHubClient {
  const baseMs = config.retryAfterBaseMs ?? 1000;
  return new GrantopsOctokit({
    ...authOptions(config),
    baseUrl: (config.baseUrl ?? DEFAULT_GITHUB_API_URL).replace(/\/+$/, ""),
    userAgent: "grantops",
    log: octokitLog(config.logger),
    request: config.fetch ? { fetch: config.fetch } : {},
    retry: { retries: config.retries ?? 3, retryAfterBaseValue: baseMs },
    throttle:
      config.throttle === false
        ? { enabled: false }
        : {
            retryAfterBaseValue: baseMs,
            onRateLimit: (
              retryAfter: number,
              options: RequestOptionsLike,
              _octokit: unknown,
              count: number,
            ) =>
              onLimit(config.logger, "rate limit", retryAfter, options, count, MAX_PRIMARY_RATE_LIMIT_WAIT_S),
            onSecondaryRateLimit: (
              retryAfter: number,
              options: RequestOptionsLike,
              _octokit: unknown,
              count: number,
            ) => onLimit(config.logger, "secondary rate limit", retryAfter, options, count, Infinity),
          },
  });
}

interface RequestOptionsLike {
  method: string;
  url: string;
}

/** Retry once, and only when the wait is reasonable; always say so in the log. */
function onLimit(
  logger: GitHubLogger,
  kind: string,
  retryAfter: number,
  options: RequestOptionsLike,
  retryCount: number,
  maxWaitS: number,
): boolean {
  const where = `${options.method} ${options.url}`;
  if (retryCount < 1 && retryAfter <= maxWaitS) {
    logger.warn(`GitHub ${kind} hit on ${where}; retrying once in ${retryAfter}s`);
    return true;
  }
  logger.warn(
    `GitHub ${kind} hit on ${where}; giving up (retry after ${retryAfter}s, attempt ${retryCount + 1})`,
  );
  return false;
}

function authOptions(config: OctokitConfig): Record<string, unknown> {
  if (config.appId !== undefined && config.privateKey !== undefined && config.installationId !== undefined) {
    return {
      authStrategy: createAppAuth,
      auth: { appId: config.appId, privateKey: config.privateKey, installationId: config.installationId },
    };
  }
  return config.token === undefined ? {} : { auth: config.token };
}

/**
 * Octokit logs to the console by default and passes request options (with the authorization header) as a second
 * argument: forward the message only. Octokit's per-request "info" lines and failed-request "error" lines
 * (expected 404s included) are debug detail; callers report the failures that matter.
 */
function octokitLog(logger: GitHubLogger): GitHubLogger {
  return {
    debug: (message: string) => logger.debug(message),
    info: (message: string) => logger.debug(message),
    warn: (message: string) => logger.warn(message),
    error: (message: string) => logger.debug(message),
  };
}
