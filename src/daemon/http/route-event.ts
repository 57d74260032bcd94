import type { WebhookEvent } from "./webhook-server.js";

/** What the server does with a verified webhook event. */
export type EventRoute =
  | { kind: "reconcile"; reason: string }
  | { kind: "plan-pr"; pullNumber: number; headSha: string; reason: string }
  | { kind: "ignore"; reason: string };

export interface RouteOptions {
  /** The branch grants land on; when absent, the event's `repository.default_branch`. */
  defaultBranch?: string | undefined;
  /** `owner/name`; when given, events of other repositories are ignored (case-insensitive). */
  repo?: string | undefined;
}

const PR_ACTIONS = new Set(["opened", "synchronize", "reopened"]);
const REVIEW_ACTIONS = new Set(["submitted", "dismissed"]);

/**
 * Routes an event: a push to the default branch → reconcile; a pull request opened/synchronized/reopened or a
 * review submitted/dismissed on a pull request into the default branch → plan that PR; everything else → ignore.
 */
export function routeEvent(event: WebhookEvent, options: RouteOptions = {}): EventRoute {
  const payload = asRecord(event.payload);
  const repository = asRecord(payload["repository"]);
  const fullName = text(repository["full_name"]);
  if (options.repo && fullName && fullName.toLowerCase() !== options.repo.toLowerCase()) {
    return ignore(`${event.name} for another repository (${fullName})`);
  }
  const defaultBranch = options.defaultBranch ?? text(repository["default_branch"]);
  switch (event.name) {
    case "push":
      return routePush(payload, defaultBranch);
    case "pull_request":
      return routePullRequest(event.name, payload, PR_ACTIONS, defaultBranch);
    case "pull_request_review":
      return routePullRequest(event.name, payload, REVIEW_ACTIONS, defaultBranch);
    case "ping":
      return ignore("ping");
    default:
      return ignore(`unhandled event ${event.name}`);
  }
}

function routePush(payload: Record<string, unknown>, defaultBranch: string | undefined): EventRoute {
  const ref = text(payload["ref"]) ?? "";
  if (!defaultBranch) return ignore(`push to ${ref}: default branch unknown`);
  if (ref !== `refs/heads/${defaultBranch}`) return ignore(`push to ${ref || "unknown ref"}`);
  const after = text(payload["after"]) ?? "";
  return { kind: "reconcile", reason: `push ${defaultBranch}@${after.slice(0, 12) || "unknown"}` };
}

function routePullRequest(
  name: string,
  payload: Record<string, unknown>,
  actions: Set<string>,
  defaultBranch: string | undefined,
): EventRoute {
  const action = text(payload["action"]) ?? "";
  if (!actions.has(action)) return ignore(`${name}.${action || "unknown"}`);
  const pull = asRecord(payload["pull_request"]);
  const pullNumber = pull["number"];
  const headSha = text(asRecord(pull["head"])["sha"]);
  const base = text(asRecord(pull["base"])["ref"]);
  if (typeof pullNumber !== "number" || !Number.isInteger(pullNumber) || !headSha) {
    return ignore(`${name}.${action} without a pull request number or head sha`);
  }
  if (defaultBranch && base && base !== defaultBranch) {
    return ignore(`${name}.${action} #${pullNumber} into ${base}, not ${defaultBranch}`);
  }
  return {
    kind: "plan-pr",
    pullNumber,
    headSha,
    reason: `${name}.${action} #${pullNumber}@${headSha.slice(0, 12)}`,
  };
}

function ignore(reason: string): EventRoute {
  return { kind: "ignore", reason };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
