import { ExitCode } from "../core/model/exit-codes.js";
import type { Instant, PolicyFile, Problem } from "../core/model/types.js";
import type { ApplyResult } from "./apply-plan.js";
import type { DesiredState } from "./read-desired-state.js";
import type { OrganizationPlan } from "./run-record.js";

type Organizations = Array<OrganizationPlan & { applied?: ApplyResult | null }>;

/** A run's summary: the commit read, all problems, the earliest wake-up of its plans and its exit code. */
export function summarizeRun<T extends Organizations>(
  state: Pick<DesiredState, "branch" | "commit"> & { policy?: PolicyFile | null },
  problems: Problem[],
  organizations: T,
  applying: boolean,
): {
  branch: string;
  commit: string;
  problems: Problem[];
  organizations: T;
  nextWakeAt: Instant | null;
  exitCode: number;
  policy: PolicyFile | null;
} {
  return {
    branch: state.branch,
    commit: state.commit,
    policy: state.policy ?? null,
    problems,
    organizations,
    nextWakeAt: earliest(organizations.map((result) => result.plan.nextWakeAt)),
    exitCode: exitCodeOf(problems, organizations, applying),
  };
}

function earliest(instants: Array<Instant | null>): Instant | null {
  const present = instants.filter((instant): instant is Instant => instant !== null).sort();
  return present[0] ?? null;
}

function exitCodeOf(problems: Problem[], organizations: Organizations, applying: boolean): number {
  if (organizations.some((result) => (result.applied?.failed ?? 0) > 0)) return ExitCode.failedSteps;
  // A vendor write whose journal entry could not be written is a failed step: the record is the audit trail.
  if (organizations.some((result) => (result.applied?.journalErrors ?? 0) > 0)) return ExitCode.failedSteps;
  if (organizations.some((result) => !result.check.ok || result.stale)) return ExitCode.refused;
  if (problems.some((problem) => problem.severity === "error")) return ExitCode.invalid;
  if (!applying && organizations.some((result) => result.plan.steps.length > 0)) return ExitCode.changes;
  return ExitCode.ok;
}
