import { GrantopsError } from "../core/model/grantops-error.js";

/** A GitHub API call that failed after retries (5xx, network, auth, permissions). Never carries the token. */
export class GitHubApiError extends GrantopsError {
  readonly status: number | null;

  constructor(what: string, cause: unknown) {
    const status = httpStatus(cause);
    super(
      "github-api",
      `GitHub API failed while ${what}${status === null ? "" : `: HTTP ${status}`}${hint(status)}`,
      {
        cause,
      },
    );
    this.name = "GitHubApiError";
    this.status = status;
  }
}

/** The HTTP status of an Octokit RequestError (network failures surface as 500), or null. */
export function httpStatus(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : null;
}

function hint(status: number | null): string {
  if (status === 401) return " (check the token or the GitHub App credentials)";
  if (status === 403) return " (check the token's or the GitHub App's permissions, or the rate limit)";
  return "";
}

/** Runs a GitHub call; statuses listed in `expected` are returned as data, anything else throws GitHubApiError. */
export async function githubCall<T>(
  what: string,
  call: () => Promise<T>,
  expected: number[] = [],
): Promise<{ ok: true; value: T } | { ok: false; status: number }> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    const status = httpStatus(error);
    if (status !== null && expected.includes(status)) return { ok: false, status };
    throw new GitHubApiError(what, error);
  }
}

/** Runs a GitHub call; any failure throws GitHubApiError. */
export async function githubRequest<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new GitHubApiError(what, error);
  }
}
