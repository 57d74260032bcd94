import { plan as planOrganization } from "../core/plan/plan.js";
import { checkPlan } from "../core/plan/check-plan.js";
import { grantWindow } from "../core/time/grant-window.js";
import { ExitCode } from "../core/model/exit-codes.js";
import { readDesiredState } from "./read-desired-state.js";
import { createOwnershipTracker, type OwnershipTracker } from "./ownership-tracker.js";
import { resolveDesired } from "./resolve-desired.js";
import { locateResolveProblems } from "./locate-resolve-problems.js";
import { verifyVersions } from "./verify-versions.js";
import { applyPlan, type ApplyResult } from "./apply-plan.js";
import { samePlan } from "./same-plan.js";
import type { Journal } from "./journal.js";
import type { Logger } from "../observability/create-logger.js";
import type { SecureAccessApi } from "../core/model/secure-access-types.js";
import type { Organization } from "../core/model/generated/policy-file.js";
import type {
  ApprovalVerifier,
  HeldGrant,
  Instant,
  Plan,
  PlanCheck,
  PlanLimits,
  PlanOptions,
  Problem,
} from "../core/model/types.js";

export interface ReconcileOptions extends PlanOptions {
  repo: string;
  ref?: string;
  cacheDir: string;
  policyPath: string;
  limits: PlanLimits;
  /** false: plan only (nothing is written). */
  apply: boolean;
  /** A saved plan set (`apply --plan`): applied only if the world still gives the same steps. */
  savedPlans?: Plan[];
}

export interface ReconcileDeps {
  clock: () => Date;
  logger: Logger;
  journal: Journal;
  verifier: ApprovalVerifier;
  /** Builds the Secure Access client of one organization (credentials from the environment). */
  apiFor: (alias: string, organization: Organization) => SecureAccessApi;
  signal?: AbortSignal;
  /** Ownership verification (state file, rule GETs, grant history); default: in memory, cold every run. */
  ownership?: OwnershipTracker;
}

export interface OrganizationResult {
  plan: Plan;
  check: PlanCheck;
  stale: boolean;
  applied: ApplyResult | null;
}

export interface ReconcileResult {
  branch: string;
  commit: string;
  problems: Problem[];
  organizations: OrganizationResult[];
  nextWakeAt: Instant | null;
  exitCode: number;
}

/** The reconcile loop (design section 4): read desired, read actual, plan, guard, apply, record. */
export async function reconcile(options: ReconcileOptions, deps: ReconcileDeps): Promise<ReconcileResult> {
  const now = deps.clock();
  const state = await readDesiredState({ ...options, now });
  const problems = [...state.problems];
  const organizations: OrganizationResult[] = [];
  const ownership =
    deps.ownership ??
    (await createOwnershipTracker({
      statePath: null,
      journalPath: null,
      clock: deps.clock,
      logger: deps.logger,
    }));
  for (const [alias, organization] of Object.entries(state.policy.organizations).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const api = ownership.wrap(deps.apiFor(alias, organization), organization.orgId);
    const verified = await verifyVersions(
      state.versions.filter((version) => version.grant.organization === alias),
      state.policy,
      api,
      deps.verifier,
    );
    const resolved = await resolveDesired({
      versions: verified.versions,
      approvals: verified.approvals,
      api,
      organization: alias,
      window: grantWindow,
    });
    const held: HeldGrant[] = [
      ...state.invalidGrantIds.map((grantId) => ({ grantId, reason: "the grant file is invalid" })),
      ...resolved.problems.map((problem) => ({ grantId: problem.grantId, reason: problem.message })),
    ];
    problems.push(...locateResolveProblems(resolved.problems, state.files));
    const actual = await ownership.readRules(api, alias, organization.orgId, options);
    const evidence = await ownership.evidence({
      alias,
      orgId: organization.orgId,
      actual,
      desired: resolved.desired,
      held,
      api,
      options,
      verifier: deps.verifier,
      dir: state.dir,
      commit: state.commit,
      policy: state.policy,
      policyPath: options.policyPath,
      policyBytes: state.files.get(options.policyPath) ?? new Uint8Array(),
    });
    const fresh = planOrganization(
      {
        organization: alias,
        orgId: organization.orgId,
        commit: state.commit,
        desired: resolved.desired,
        held,
        actual,
        evidence,
      },
      now,
      options,
    );
    organizations.push(await guardAndApply(fresh, api, options, deps));
  }
  if (options.apply) await ownership.save();
  return {
    branch: state.branch,
    commit: state.commit,
    problems,
    organizations,
    nextWakeAt: earliest(organizations.map((result) => result.plan.nextWakeAt)),
    exitCode: exitCodeOf(problems, organizations, options.apply),
  };
}

async function guardAndApply(
  fresh: Plan,
  api: SecureAccessApi,
  options: ReconcileOptions,
  deps: ReconcileDeps,
): Promise<OrganizationResult> {
  const check = checkPlan(fresh, options.limits);
  const saved = options.savedPlans?.find((candidate) => candidate.organization === fresh.organization);
  const stale = options.savedPlans !== undefined && (saved === undefined || !samePlan(saved, fresh));
  if (!options.apply || !check.ok || stale) return { plan: fresh, check, stale, applied: null };
  const applied = await applyPlan(fresh, {
    api,
    journal: deps.journal,
    clock: deps.clock,
    logger: deps.logger,
    ...(deps.signal === undefined ? {} : { signal: deps.signal }),
  });
  return { plan: fresh, check, stale, applied };
}

function earliest(instants: Array<Instant | null>): Instant | null {
  const present = instants.filter((instant): instant is Instant => instant !== null).sort();
  return present[0] ?? null;
}

function exitCodeOf(problems: Problem[], organizations: OrganizationResult[], applying: boolean): number {
  if (organizations.some((result) => (result.applied?.failed ?? 0) > 0)) return ExitCode.failedSteps;
  // A vendor write whose journal entry could not be written is a failed step: the record is the audit trail.
  if (organizations.some((result) => (result.applied?.journalErrors ?? 0) > 0)) return ExitCode.failedSteps;
  if (organizations.some((result) => !result.check.ok || result.stale)) return ExitCode.refused;
  if (problems.some((problem) => problem.severity === "error")) return ExitCode.invalid;
  if (!applying && organizations.some((result) => result.plan.steps.length > 0)) return ExitCode.changes;
  return ExitCode.ok;
}
