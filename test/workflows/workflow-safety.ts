// The safety rules every GitHub Actions workflow of this repository and of the template grants repository
// (examples/grants-repo/) must keep. Returns every breach as "job: what", so a test shows them all at once.
import { parse } from "yaml";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  "working-directory"?: string;
}
interface Job {
  permissions?: unknown;
  environment?: unknown;
  uses?: string;
  secrets?: unknown;
  /** Inputs of a reusable workflow call. */
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  defaults?: { run?: { "working-directory"?: string } };
  steps?: Step[];
}
interface Workflow {
  on?: unknown;
  env?: Record<string, unknown>;
  jobs?: Record<string, Job>;
}

/** Secrets a pull-request job may see: the workflow token, read-only vendor keys, the GitHub App's key. */
const PR_SECRET = /^(GITHUB_TOKEN|GRANTOPS_READONLY_[A-Z0-9_]+|GRANTOPS_APP_ID|GRANTOPS_APP_PRIVATE_KEY)$/;
/** The GitHub Environment that holds the vendor write keys, its deployment branches limited to the default branch. */
export const WRITE_ENVIRONMENT = "grantops-apply";
/** A full commit sha after the @. */
const PINNED = /^[^@\s]+@[0-9a-f]{40}$/;
/** Refs that name the trusted default branch. */
const TRUSTED_REF = /^\$\{\{\s*github\.event\.repository\.default_branch\s*\}\}$/;
/** Commands that would run code from the directory they are in (package scripts, node programs, local actions). */
const RUNS_CODE = /(^|[\s;&|(`])(npm|npx|node|yarn|pnpm|bun|corepack|tsx)(\s|$)/m;

/**
 * Triggers that run the pull request's OWN copy of the workflow file (a requester can edit it): a job holding a
 * secret or a write permission must never run on them.
 */
const PR_OWN_FILE = ["pull_request", "pull_request_review", "pull_request_review_comment"];
/** Triggers whose jobs handle a pull request's content (its own file, the base's file, or a follow-up run). */
const PR_CONTEXT = [...PR_OWN_FILE, "pull_request_target", "workflow_run"];

export function workflowBreaches(text: string): string[] {
  const workflow = parse(text) as Workflow;
  const breaches: string[] = [];
  const pullRequest = triggers(workflow.on).some((t) => PR_CONTEXT.includes(t));
  const ownFile = triggers(workflow.on).filter((t) => PR_OWN_FILE.includes(t));
  for (const [name, job] of Object.entries(workflow.jobs ?? {})) {
    const add = (what: string): void => void breaches.push(`${name}: ${what}`);
    if (job.permissions === undefined) add("declares no permissions");
    for (const use of usesOf(job)) {
      if (!use.startsWith("./") && !PINNED.test(use)) add(`uses ${use}: not pinned to a full commit sha`);
    }
    const writeKeys = secretsOf([workflow.env, job.env, job.with, job.steps]).filter(
      (s) => !PR_SECRET.test(s),
    );
    if (writeKeys.length > 0 && environmentOf(job) !== WRITE_ENVIRONMENT) {
      add(`sees ${writeKeys.join(", ")} outside the ${WRITE_ENVIRONMENT} environment`);
    }
    if (pullRequest) pullRequestBreaches(workflow, job).forEach(add);
    for (const trigger of holdsNothing(workflow, job) ? [] : ownFile) {
      // On these triggers the workflow file is the pull request's own: a requester can edit it to print any
      // secret or use the token. Jobs that hold anything run on pull_request_target or workflow_run (the
      // default branch's file).
      add(
        `holds a secret or a write permission on ${trigger} (a PR can edit this file): use pull_request_target or workflow_run`,
      );
    }
  }
  return breaches;
}

function pullRequestBreaches(workflow: Workflow, job: Job): string[] {
  const breaches: string[] = [];
  if (job.environment !== undefined) breaches.push("uses an environment (environments hold the write keys)");
  if (job.secrets !== undefined) breaches.push("passes secrets to a reusable workflow");
  for (const secret of secretsOf([workflow.env, job.env, job.with, job.steps])) {
    if (!PR_SECRET.test(secret))
      breaches.push(`sees secret ${secret} (only read-only keys in a pull-request job)`);
  }
  const prCode = holdsNothing(workflow, job) ? [] : prCheckoutPaths(job.steps ?? []);
  for (const step of job.steps ?? []) {
    const dir = normalise(step["working-directory"] ?? job.defaults?.run?.["working-directory"] ?? ".");
    const inPrCode = (path: string): boolean =>
      path === "." || dir === path || dir.startsWith(`${path}/`) || (step.run ?? "").includes(path);
    if (!prCode.some(inPrCode)) continue;
    if (step.run !== undefined && RUNS_CODE.test(step.run)) {
      breaches.push(`runs \`${firstLine(step.run)}\` in a checkout of the pull request`);
    }
    if (step.uses?.startsWith("./"))
      breaches.push(`runs the local action ${step.uses} from a checkout of the pull request`);
  }
  return breaches;
}

/**
 * A job with no secret and no write permission may run the pull request's code (CI testing the PR itself):
 * there is nothing for that code to steal or to write with (GitHub gives fork PRs the same).
 */
function holdsNothing(workflow: Workflow, job: Job): boolean {
  const permissions = job.permissions;
  const readOnly =
    permissions !== null &&
    typeof permissions === "object" &&
    Object.values(permissions).every((value) => value === "read" || value === "none");
  return (
    readOnly &&
    secretsOf([workflow.env, job.env, job.with, job.steps]).length === 0 &&
    !/github\.token/.test(JSON.stringify(job))
  );
}

/** Where the job checks out the pull request's code ("." for the workspace). */
function prCheckoutPaths(steps: Step[]): string[] {
  return (
    steps
      .filter((step) => step.uses?.startsWith("actions/checkout@"))
      // Without a ref, a pull-request event checks out the PR's merge commit; any ref but the default branch may
      // be a branch the requester pushed.
      .filter((step) => {
        const ref = step.with?.["ref"];
        return !(typeof ref === "string" && TRUSTED_REF.test(ref.trim()));
      })
      .map((step) => normalise(typeof step.with?.["path"] === "string" ? step.with["path"] : "."))
  );
}

function environmentOf(job: Job): unknown {
  const environment = job.environment;
  return environment !== null && typeof environment === "object"
    ? (environment as { name?: unknown }).name
    : environment;
}

function normalise(path: string): string {
  const trimmed = path.replace(/^\.\//, "").replace(/\/+$/, "");
  return trimmed === "" ? "." : trimmed;
}

function triggers(on: unknown): string[] {
  if (typeof on === "string") return [on];
  if (Array.isArray(on)) return on.map(String);
  return on && typeof on === "object" ? Object.keys(on) : [];
}

function usesOf(job: Job): string[] {
  return [
    ...(job.uses === undefined ? [] : [job.uses]),
    ...(job.steps ?? []).flatMap((s) => (s.uses ? [s.uses] : [])),
  ];
}

/** Names of the secrets an expression anywhere in `nodes` reads; `secrets[...]` and `toJSON(secrets)` count as "*". */
function secretsOf(nodes: unknown[]): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (typeof node === "string") {
      for (const match of node.matchAll(/secrets\.([A-Za-z0-9_]+)/g)) found.add(match[1]!);
      if (/secrets\s*\[|\(\s*secrets\s*\)/.test(node)) found.add("*");
    } else if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === "object") Object.values(node).forEach(visit);
  };
  nodes.forEach(visit);
  return [...found];
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0] ?? "";
}
