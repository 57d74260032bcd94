import type { Instant, Plan, PlanCheck, PolicyFile, Problem } from "../core/model/types.js";
import type { ApplyResult } from "./apply-plan.js";
import type { VerifiedVersion } from "./verify-versions.js";
import type { PublishReport } from "../journal/publish-journal.js";

/** What planning one organization found: the plan, its guards, and what it was made from. */
export interface OrganizationPlan {
  plan: Plan;
  check: PlanCheck;
  /** A saved plan was given (apply --plan) and the world no longer gives it: nothing is applied. */
  stale: boolean;
  /** Each grant version of the organization (landing commit and time, resolved ids) with its approval. */
  approvals: VerifiedVersion[];
  /** The pull request recorded in the marker of each rule read, by rule id (rules without one are absent). */
  rulePullRequests: ReadonlyMap<number, number>;
}

/** A planned run (read, resolve, verify, plan, guard): nothing was written. */
export interface RunPlan {
  branch: string;
  commit: string;
  /** Problems of the files, then the users and resources that could not be resolved. */
  problems: Problem[];
  organizations: OrganizationPlan[];
  nextWakeAt: Instant | null;
  /** 0 in sync, 2 changes pending, 3 refused, 4 invalid input. */
  exitCode: number;
  /** The policy the run read (its notify settings are used after the run). */
  policy?: PolicyFile | null;
}

/** One organization of an applied run: its plan, and what applying it did (null when a guard refused). */
export interface OrganizationRun extends OrganizationPlan {
  applied: ApplyResult | null;
}

/** Everything a run did: the plans, the approvals, each step's outcome and journal entry, the PR of each rule. */
export interface RunRecord extends RunPlan {
  organizations: OrganizationRun[];
  /** What publishing the journal to its branch did (leftovers and this run's entries); absent without a publisher. */
  journal?: PublishReport;
  /** 0 applied, 3 refused or stale, 4 invalid input, 5 some steps failed, 6 journal entries left unpublished. */
  exitCode: number;
}
