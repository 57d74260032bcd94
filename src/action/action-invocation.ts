import { InvalidInputError } from "../core/model/grantops-error.js";

/** The commands the Action runs; each maps onto the CLI command of the same name. */
export const ACTION_COMMANDS = ["pr-report", "apply", "sweep", "validate"] as const;
export type ActionCommand = (typeof ACTION_COMMANDS)[number];

export type Env = Readonly<Record<string, string | undefined>>;

/** What the Action knows about the run: its inputs (INPUT_*), the runner's variables and the event. */
export interface ActionSetting {
  env: Env;
  /** The parsed event payload (GITHUB_EVENT_PATH), or {} when there is none. */
  event: { pull_request?: { number?: number; head?: { sha?: string }; base?: { ref?: string } } };
}

/** The CLI arguments (after `grantops`) and the variables to add to the environment of the run. */
export interface ActionInvocation {
  args: string[];
  env: Record<string, string>;
  /** The token git needs to read the grants repository over HTTPS (given to git through GIT_ASKPASS), or null. */
  gitToken: string | null;
}

/** An input as the runner passes it: INPUT_<NAME in upper case>, trimmed; "" when unset. */
export function actionInput(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

/**
 * Maps the Action's inputs onto one CLI command line and its environment. Nothing is re-implemented: the
 * command runs through the CLI's own program. pr-report and apply read the repository as git objects (a bare
 * clone of this repository by default), never from a working tree of the pull request.
 */
export function actionInvocation(setting: ActionSetting): ActionInvocation {
  const input = (name: string): string => actionInput(setting.env, name);
  const command = input("command");
  if (!(ACTION_COMMANDS as readonly string[]).includes(command)) {
    throw new InvalidInputError(
      "action-input",
      `input command "${command}": use one of ${ACTION_COMMANDS.join(", ")}`,
    );
  }
  const env: Record<string, string> = {
    ...vendorEnv(input),
    ...optional("GRANTOPS_LOG_LEVEL", input("log-level")),
  };
  const temp = setting.env["RUNNER_TEMP"] ?? ".grantops";
  if (command === "validate") return validateInvocation(input, env);
  if (command === "sweep") return sweepInvocation(input, env, temp, setting.env);
  const repository = input("repository") || defaultRepository(setting.env);
  const token = input("github-token");
  Object.assign(env, optional("GRANTOPS_GITHUB_TOKEN", token));
  const args = [command, "--repo", repository, "--cache-dir", `${temp}/grantops-repos`];
  args.push(...flag("--policy", input("policy")), ...flag("--rule-prefix", input("rule-prefix")));
  args.push(
    ...flag("--max-deletes", input("max-deletes")),
    ...(isTrue(input("trust-git")) ? ["--trust-git"] : []),
  );
  if (command === "apply") {
    args.push(
      ...flag("--ref", input("ref")),
      "--journal",
      input("journal") || `${temp}/grantops-journal.jsonl`,
      ...flag("--journal-branch", input("journal-branch")),
    );
  } else args.push(...pullRequestArgs(input("pr"), setting.event));
  return { args, env, gitToken: isHttpsUrl(repository) && token !== "" ? token : null };
}

function validateInvocation(input: (name: string) => string, env: Record<string, string>): ActionInvocation {
  const args = ["validate", "--repo", input("repository") || "."];
  args.push(...flag("--policy", input("policy")), ...flag("--changed-since", input("changed-since")));
  return { args, env, gitToken: null };
}

/**
 * sweep reads nothing from the repository or GitHub; it only publishes its journal entries to the journal branch
 * of the repository (the token goes to git alone, never to grantops as a GitHub token).
 */
function sweepInvocation(
  input: (name: string) => string,
  env: Record<string, string>,
  temp: string,
  runner: Env,
): ActionInvocation {
  const args = [
    "sweep",
    ...flag("--org-id", input("org-id")),
    ...flag("--organization", input("organization")),
  ];
  args.push(...flag("--credentials", input("credentials")), ...flag("--rule-prefix", input("rule-prefix")));
  args.push("--journal", input("journal") || `${temp}/grantops-journal.jsonl`);
  const branch = input("journal-branch");
  // Outside a repository's workflow (no GITHUB_REPOSITORY) sweep still runs, keeping the local journal only.
  const here = runner["GITHUB_REPOSITORY"] ? defaultRepository(runner) : "";
  const repository = branch === "none" ? "" : input("repository") || here;
  if (repository !== "") {
    args.push(
      "--repo",
      repository,
      "--cache-dir",
      `${temp}/grantops-repos`,
      ...flag("--journal-branch", branch),
    );
  }
  if (isTrue(input("dry-run"))) args.push("--dry-run");
  const token = input("github-token");
  return { args, env, gitToken: isHttpsUrl(repository) && token !== "" ? token : null };
}

/** --pr, --head-sha and --base: the inputs, else the pull_request event. */
function pullRequestArgs(pr: string, event: ActionSetting["event"]): string[] {
  const pull = event.pull_request;
  const number = pr || (pull?.number === undefined ? "" : String(pull.number));
  if (number === "") {
    throw new InvalidInputError("action-input", "command pr-report: no pull request (set the pr input)");
  }
  const fromEvent = pr === "" || pr === String(pull?.number);
  return [
    "--pr",
    number,
    ...(fromEvent ? flag("--head-sha", pull?.head?.sha ?? "") : []),
    ...(fromEvent ? flag("--base", pull?.base?.ref ?? "") : []),
  ];
}

/** The vendor key of the credentials alias (GRANTOPS_<ALIAS>_API_KEY/_SECRET), or the GRANTOPS_API_* fallback. */
function vendorEnv(input: (name: string) => string): Record<string, string> {
  const alias = input("credentials");
  if (alias !== "" && !/^[A-Za-z][A-Za-z0-9_]*$/.test(alias)) {
    throw new InvalidInputError("action-input", `input credentials "${alias}": letters, digits and _ only`);
  }
  const prefix = alias === "" ? "GRANTOPS_API" : `GRANTOPS_${alias.toUpperCase()}_API`;
  return {
    ...optional(`${prefix}_KEY`, input("api-key")),
    ...optional(`${prefix}_SECRET`, input("api-secret")),
    ...optional(`${prefix}_URL`, input("api-url")),
  };
}

function defaultRepository(env: Env): string {
  const repository = env["GITHUB_REPOSITORY"];
  if (!repository) {
    throw new InvalidInputError(
      "action-input",
      "no repository input and no GITHUB_REPOSITORY to read grants from",
    );
  }
  return `${env["GITHUB_SERVER_URL"] ?? "https://github.com"}/${repository}.git`;
}

function flag(name: string, value: string): string[] {
  return value === "" ? [] : [name, value];
}

function optional(name: string, value: string): Record<string, string> {
  return value === "" ? {} : { [name]: value };
}

function isTrue(value: string): boolean {
  return value.toLowerCase() === "true";
}

function isHttpsUrl(repository: string): boolean {
  return /^https:\/\//i.test(repository);
}
