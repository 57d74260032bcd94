// A push costs what it changes (docs/serve-and-workflows.md): plan only the grant files changed since the last
// applied commit, with their rules found by name, and merge that plan into serve's view of the organization.
// Anything uncertain answers "full": the caller then runs a full reconcile. Writes nothing.
import { openRepository } from "../git/open-repository.js";
import { firstParentChanges } from "../git/first-parent-changes.js";
import { GitError } from "../git/git-error.js";
import type { Landing } from "../git/landing-times.js";
import { pushScope, MAX_PUSH_COMMITS, type FullReason } from "../core/plan/push-scope.js";
import { rulesOfGrants, ruleNameStem } from "../core/plan/rules-of-grants.js";
import { mergePushPlan } from "../core/plan/merge-push-plan.js";
import { checkPlan } from "../core/plan/check-plan.js";
import type { Plan, Problem } from "../core/model/types.js";
import type { RuleSummary, SecureAccessApi } from "../core/model/secure-access-types.js";
import { landedVersions, readDesiredAt, type DesiredState } from "./read-desired-state.js";
import {
  organizationsOf,
  planResolved,
  readDeps,
  resolveOrganization,
  type OrganizationTarget,
  type PlanRunDeps,
  type PlanRunOptions,
  type PreparedRun,
} from "./plan-run.js";
import type { OwnershipTracker } from "./ownership-tracker.js";
import { ofOrganization } from "./read-actual-rules.js";
import type { OrganizationPlan } from "./run-record.js";
import type { VerifiedVersion } from "./verify-versions.js";

/** Serve's view of one organization: the last full plan as applying it left the rules, pushes merged in. */
export interface OrganizationView {
  plan: Plan;
  approvals: VerifiedVersion[];
}

/** What the last converged run applied: its commit and the view of each organization (by alias). */
export interface PushBase {
  commit: string;
  views: ReadonlyMap<string, OrganizationView>;
}

/** One organization of a push: the merged plan (applied like a full one) and the push's own plan. */
export interface PushOrganization extends OrganizationTarget {
  planned: OrganizationPlan;
  /** The plan of the changed grants alone, before merging. */
  partial: Plan;
}

export type PushPlan =
  | { kind: "full"; reason: FullReason; detail: string }
  | {
      kind: "partial";
      state: DesiredState;
      grantIds: string[];
      commits: number;
      organizations: PushOrganization[];
      problems: Problem[];
    };

/** Rule-name lookups in flight at once. */
const LOOKUP_CONCURRENCY = 4;

/**
 * Plans a push: the commits since `base` (one bounded first-parent git log), the changed grant files read and
 * validated at the new commit, resolved and verified, their rules found by name and verified, planned, merged
 * into the organization's view and checked against the guards with the whole organization's counts.
 */
export async function planPush(
  options: PlanRunOptions,
  deps: PlanRunDeps & { ownership: OwnershipTracker },
  base: PushBase | null,
): Promise<PushPlan> {
  if (base === null) return full("no-base", "no converged run since serve started");
  const repository = await openRepository({
    repo: options.repo,
    cacheDir: options.cacheDir,
    ...(options.ref === undefined ? {} : { ref: options.ref }),
    ...(deps.git === undefined ? {} : { git: deps.git }),
  });
  const changes = await rangeOf(repository.dir, base.commit, repository.commit, deps);
  if (changes === null) return full("not-fast-forward", `${base.commit.slice(0, 12)} is not in the history`);
  const scope = pushScope({
    base: base.commit,
    head: repository.commit,
    commits: changes.commits,
    reachedBase: changes.reachedFrom,
    changedPaths: [...changes.landings.keys()],
    policyPath: options.policyPath,
  });
  if (scope.kind === "full") return full(scope.reason, `${changes.commits} commits since the last run`);
  const now = deps.clock();
  const state = await readDesiredAt(repository, {
    policyPath: options.policyPath,
    now,
    grantPaths: new Set(scope.paths),
    ...readDeps(deps),
  });
  const unlanded = state.grants.find((grant) => !changes.landings.has(grant.file));
  if (unlanded !== undefined)
    return full("landing-before-base", `${unlanded.file} did not change in the push`);
  const { policy, versions } = await landedVersions(state, deps.git, { known: changes.landings });
  const run: PreparedRun = { state, policy, versions, now };
  const grants = new Set(scope.grantIds);
  const organizations: PushOrganization[] = [];
  const problems = [...state.problems];
  for (const [alias, organization] of organizationsOf(policy)) {
    const view = base.views.get(alias);
    if (view === undefined) return full("no-view", `no view of organization ${alias}`);
    const api = deps.ownership.wrap(deps.apiFor(alias, organization), organization.orgId);
    const target = { alias, organization, api };
    const planned = await planOrganizationPush(run, target, { view, grants }, options, deps);
    if (planned.kind === "full") return planned;
    problems.push(...planned.problems);
    organizations.push(planned.organization);
  }
  return {
    kind: "partial",
    state,
    grantIds: scope.grantIds,
    commits: changes.commits,
    organizations,
    problems,
  };
}

async function planOrganizationPush(
  run: PreparedRun,
  target: OrganizationTarget,
  push: { view: OrganizationView; grants: ReadonlySet<string> },
  options: PlanRunOptions,
  deps: PlanRunDeps & { ownership: OwnershipTracker },
): Promise<
  | { kind: "partial"; organization: PushOrganization; problems: Problem[] }
  | Extract<PushPlan, { kind: "full" }>
> {
  const { alias, organization, api } = target;
  const resolved = await resolveOrganization(run, target, deps.verifier);
  const found = ofOrganization(
    await findRules(api, [...push.grants], options.rulePrefix),
    organization.orgId,
  );
  const relevant = rulesOfGrants({ found, grants: push.grants, desired: resolved.desired, options });
  if (relevant.kind === "uncertain") {
    return full("name-taken", `rule ${relevant.ruleName} of another grant holds a name the push needs`);
  }
  const actual = await deps.ownership.verifyRules(api, alias, organization.orgId, relevant.rules, options);
  const { planned, problems } = await planResolved(run, target, { resolved, actual }, options, deps);
  const partial = planned.plan;
  const looked = new Set(actual.map((rule) => rule.ruleId));
  const outside = partial.steps.find((step) =>
    step.kind === "create" ? !push.grants.has(step.grantId) : !looked.has(step.ruleId),
  );
  if (outside !== undefined) return full("error", `a step outside the push: ${JSON.stringify(outside)}`);
  const plan = mergePushPlan(push.view.plan, partial, push.grants);
  const check = checkPlan(plan, options.limits);
  if (!check.ok) return full("guard", check.message);
  const approvals = [
    ...push.view.approvals.filter((a) => !push.grants.has(a.version.grant.id)),
    ...planned.approvals,
  ];
  return {
    kind: "partial",
    organization: { ...target, partial, planned: { ...planned, plan, check, approvals } },
    problems,
  };
}

/** The rules whose names contain each grant's name stem (one `ruleName` listing per grant, a few at a time). */
async function findRules(api: SecureAccessApi, grantIds: string[], prefix: string): Promise<RuleSummary[]> {
  const found: RuleSummary[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < grantIds.length) {
      const id = grantIds[next++]!;
      found.push(...(await api.findRulesByName(ruleNameStem(prefix, id))));
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOOKUP_CONCURRENCY, grantIds.length) }, worker));
  return found;
}

/** The first-parent range base..head, or null when git does not know `base` (history rewritten). */
async function rangeOf(
  dir: string,
  base: string,
  head: string,
  deps: Pick<PlanRunDeps, "git">,
): Promise<{ commits: number; reachedFrom: boolean; landings: Map<string, Landing> } | null> {
  if (base === head) return { commits: 0, reachedFrom: true, landings: new Map() };
  try {
    return await firstParentChanges(dir, base, head, MAX_PUSH_COMMITS, deps.git);
  } catch (error) {
    if (error instanceof GitError) return null;
    throw error;
  }
}

function full(reason: FullReason, detail: string): Extract<PushPlan, { kind: "full" }> {
  return { kind: "full", reason, detail };
}
