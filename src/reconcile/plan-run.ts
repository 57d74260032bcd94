import { plan as planOrganization } from "../core/plan/plan.js";
import { checkPlan } from "../core/plan/check-plan.js";
import { grantWindow } from "../core/time/grant-window.js";
import { parseMarker } from "../core/rule/rule-marker.js";
import type {
  ActualRule,
  ApprovalVerifier,
  DesiredGrant,
  GrantVersion,
  HeldGrant,
  Plan,
  PlanLimits,
  PlanOptions,
  PolicyFile,
  Problem,
  ResolveProblem,
} from "../core/model/types.js";
import type { SecureAccessApi } from "../core/model/secure-access-types.js";
import type { Organization } from "../core/model/generated/policy-file.js";
import type { GitFactory } from "../git/git-env.js";
import type { LandingCache } from "../git/landing-times.js";
import type { YamlParser } from "../grants/parse-yaml-file.js";
import { landedVersions, readDesiredState, type DesiredState } from "./read-desired-state.js";
import { createOwnershipTracker, type OwnershipTracker } from "./ownership-tracker.js";
import { createLogger } from "../observability/create-logger.js";
import { resolveVersions } from "./resolve-versions.js";
import { verifyVersions, type VerifiedVersion } from "./verify-versions.js";
import { desiredGrants } from "./desired-grants.js";
import { samePlan } from "./same-plan.js";
import { summarizeRun } from "./summarize-run.js";
import { createEarlyListings, type EarlyListings } from "./early-listings.js";
import type { OrganizationPlan, RunPlan } from "./run-record.js";

export interface PlanRunOptions extends PlanOptions {
  repo: string;
  ref?: string;
  cacheDir: string;
  policyPath: string;
  limits: PlanLimits;
  /** A saved plan set (`apply --plan`): a plan that no longer matches the world is stale (never applied). */
  savedPlans?: Plan[];
}

export interface PlanRunDeps {
  clock: () => Date;
  verifier: ApprovalVerifier;
  /** Builds the Secure Access client of one organization (credentials from the environment). */
  apiFor: (alias: string, organization: Organization) => SecureAccessApi;
  /** The YAML parser (default parseYamlFile): each file is parsed once per run. */
  parseYaml?: YamlParser;
  git?: GitFactory;
  /** Ownership verification (state file, rule GETs, grant history); default: in memory, cold every run. */
  ownership?: OwnershipTracker;
  /** The landing-times cache of the state directory; default: none (history walked back every run). */
  landingCache?: LandingCache;
}

/** The read stage done: the policy, the landed versions and the time the run plans at. */
export interface PreparedRun {
  state: DesiredState;
  policy: PolicyFile;
  versions: GrantVersion[];
  now: Date;
}

/** One organization of the policy and its Secure Access client. */
export interface OrganizationTarget {
  alias: string;
  organization: Organization;
  api: SecureAccessApi;
  /** Its rules (ownership.readRules through `api`), when listed early (see createEarlyListings); else read here. */
  rules?: Promise<ActualRule[]>;
}

/** Planning one organization: its plan and guards, and the users and resources that could not be resolved. */
export interface PlannedOrganization {
  planned: OrganizationPlan;
  problems: Problem[];
}

/**
 * Plans a run without writing anything (no journal): read the files at the commit, then for each
 * organization resolve, verify, plan and guard (see planOrganizationRun).
 */
export async function planRun(options: PlanRunOptions, deps: PlanRunDeps): Promise<RunPlan> {
  const now = deps.clock();
  const ownership = await ownershipOf(deps);
  const { state, listings } = await readWithListings(options, { ...deps, ownership }, now, deps.apiFor);
  return planDesired(state, now, options, { ...deps, ownership }, listings);
}

/**
 * The read stage of a full run, with each organization's client built by `clientOf` and its rules listed (through
 * the ownership tracker) as soon as the policy is read, and the landing walk started as soon as the files are
 * listed: both while the grant files are validated (createEarlyListings).
 */
export async function readWithListings(
  options: PlanRunOptions,
  deps: PlanRunDeps & { ownership: OwnershipTracker },
  now: Date,
  clientOf: (alias: string, organization: Organization) => SecureAccessApi,
): Promise<{ state: DesiredState; listings: EarlyListings }> {
  const { ownership } = deps;
  const listings = createEarlyListings((alias, organization) => {
    const api = clientOf(alias, organization);
    return { api, rules: ownership.readRules(api, alias, organization.orgId, options) };
  });
  const state = await readDesiredState({
    ...options,
    now,
    ...readDeps(deps),
    onPolicy: (policy) => listings.start(policy),
    landings: deps.landingCache === undefined ? {} : { cache: deps.landingCache },
  });
  return { state, listings };
}

/** Plans a run from files already read (pull request plans read them with their changed files). */
export async function planDesired(
  state: DesiredState,
  now: Date,
  options: PlanRunOptions,
  deps: PlanRunDeps,
  listings?: EarlyListings,
): Promise<RunPlan> {
  const run = await prepareRun(state, now, deps.git, deps.landingCache);
  const problems = [...state.problems];
  const organizations: OrganizationPlan[] = [];
  const ownership = await ownershipOf(deps);
  for (const [alias, organization] of organizationsOf(run.policy)) {
    const early = listings?.of(alias, organization);
    const api = early?.api ?? deps.apiFor(alias, organization);
    const target = { alias, organization, api, ...(early === undefined ? {} : { rules: early.rules }) };
    const result = await planOrganizationRun(run, target, options, { ...deps, ownership });
    problems.push(...result.problems);
    organizations.push(result.planned);
  }
  return summarizeRun(state, problems, organizations, false);
}

/** The optional read dependencies, as readDesiredState takes them. */
export function readDeps(
  deps: Pick<PlanRunDeps, "parseYaml" | "git">,
): Pick<PlanRunDeps, "parseYaml" | "git"> {
  return {
    ...(deps.parseYaml === undefined ? {} : { parseYaml: deps.parseYaml }),
    ...(deps.git === undefined ? {} : { git: deps.git }),
  };
}

/** The run's ownership tracker: the one given, else one in memory (no state file: every rule is read cold). */
export async function ownershipOf(deps: Pick<PlanRunDeps, "ownership" | "clock">): Promise<OwnershipTracker> {
  return (
    deps.ownership ??
    createOwnershipTracker({
      statePath: null,
      journalPath: null,
      clock: deps.clock,
      logger: createLogger({ level: "silent" }),
    })
  );
}

/** The landed versions of the valid grants; an invalid policy throws (nothing can be planned without it). */
export async function prepareRun(
  state: DesiredState,
  now: Date,
  git?: GitFactory,
  landingCache?: LandingCache,
): Promise<PreparedRun> {
  const { policy, versions } = await landedVersions(
    state,
    git,
    landingCache === undefined ? {} : { landingCache },
  );
  return { state, policy, versions, now };
}

/** The organizations of the policy, by alias. */
export function organizationsOf(policy: PolicyFile): Array<[string, Organization]> {
  return Object.entries(policy.organizations).sort(([a], [b]) => a.localeCompare(b));
}

/** One organization's versions resolved and verified: the desired grants, and the grants whose rules are held. */
export interface ResolvedOrganization {
  verified: VerifiedVersion[];
  desired: DesiredGrant[];
  held: HeldGrant[];
  resolveProblems: ResolveProblem[];
}

/**
 * One organization of a run: resolve its versions (each name looked up once), verify their approvals, read
 * its rules, plan, and check the plan against the guards (and the saved plan, if any). Writes nothing.
 */
export async function planOrganizationRun(
  run: PreparedRun,
  target: OrganizationTarget,
  options: PlanRunOptions,
  deps: Pick<PlanRunDeps, "verifier"> & { ownership: OwnershipTracker },
): Promise<PlannedOrganization> {
  const resolved = await resolveOrganization(run, target, deps.verifier);
  const { alias, organization, api } = target;
  const actual = await (target.rules ?? deps.ownership.readRules(api, alias, organization.orgId, options));
  return planResolved(run, target, { resolved, actual }, options, deps);
}

/** Resolves and verifies the organization's versions; a version with problems is held (with the invalid files). */
export async function resolveOrganization(
  run: PreparedRun,
  target: OrganizationTarget,
  verifier: ApprovalVerifier,
): Promise<ResolvedOrganization> {
  const resolved = await resolveVersions(
    run.versions.filter((version) => version.grant.organization === target.alias),
    target.api,
  );
  const verified = await verifyVersions(resolved, run.policy, verifier);
  const resolveProblems = resolved.flatMap((version) => version.problems);
  const held: HeldGrant[] = [
    ...run.state.invalidGrantIds.map((grantId) => ({ grantId, reason: "the grant file is invalid" })),
    ...resolveProblems.map((problem) => ({ grantId: problem.grantId, reason: problem.message })),
  ];
  return { verified, desired: desiredGrants(verified, grantWindow), held, resolveProblems };
}

/** Plans one organization from its resolved grants and the rules read: evidence, plan, guards. Writes nothing. */
export async function planResolved(
  run: PreparedRun,
  target: OrganizationTarget,
  input: { resolved: ResolvedOrganization; actual: ActualRule[] },
  options: PlanRunOptions,
  deps: Pick<PlanRunDeps, "verifier"> & { ownership: OwnershipTracker },
): Promise<PlannedOrganization> {
  const { alias, organization, api } = target;
  const { verified, desired, held, resolveProblems } = input.resolved;
  const { actual } = input;
  const evidence = await deps.ownership.evidence({
    alias,
    orgId: organization.orgId,
    actual,
    desired,
    held,
    api,
    options,
    verifier: deps.verifier,
    dir: run.state.dir,
    commit: run.state.commit,
    policy: run.policy,
    policyPath: run.state.policyPath,
  });
  const plan = planOrganization(
    {
      organization: alias,
      orgId: organization.orgId,
      commit: run.state.commit,
      desired,
      held,
      actual,
      evidence,
    },
    run.now,
    options,
  );
  const saved = options.savedPlans?.find((candidate) => candidate.organization === alias);
  return {
    planned: {
      plan,
      check: checkPlan(plan, options.limits),
      stale: options.savedPlans !== undefined && (saved === undefined || !samePlan(saved, plan)),
      approvals: verified,
      rulePullRequests: pullRequestsOf(actual),
    },
    problems: resolveProblems.map(toProblem),
  };
}

function pullRequestsOf(rules: readonly ActualRule[]): Map<number, number> {
  const prs = new Map<number, number>();
  for (const rule of rules) {
    const pr = parseMarker(rule.ruleDescription)?.pr ?? null;
    if (pr !== null) prs.set(rule.ruleId, pr);
  }
  return prs;
}

function toProblem(problem: ResolveProblem): Problem {
  const { code, file, line, column, message } = problem;
  return { severity: "error", code, file, line, column, message };
}
