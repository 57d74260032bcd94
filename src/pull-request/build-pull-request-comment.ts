import { grantIdFromPath } from "../core/validate/check-grant-id.js";
import { versionRules } from "../core/validate/policy-refusal.js";
import { effectiveRules, rulesForGrantees, writtenResourceKey } from "../core/validate/policy-rules.js";
import type { LiveApproval } from "../core/model/live-approval.js";
import type { Grant, Plan, PolicyFile, Problem, ResolvedVersion } from "../core/model/types.js";
import type {
  ApprovalStatus,
  GrantSection,
  OtherState,
  PullRequestComment,
  RuleToCreate,
} from "../core/report/pull-request-comment.js";
import type { FileChange } from "./pull-request-preview.js";

export interface CommentSources {
  pullNumber: number;
  basis: string;
  changeKinds: ReadonlyMap<string, FileChange>;
  /** Valid grants at the preview (to read start, duration and reason). */
  grants: readonly Grant[];
  policy: PolicyFile | null;
  plans: readonly Plan[];
  /** Problems of the files the PR changes. */
  problems: readonly Problem[];
  /** The grant versions the PR brings, resolved, by grant id. */
  versions: ReadonlyMap<string, ResolvedVersion>;
  /** Live approval per grant id (GitHub configured), else empty. */
  live: ReadonlyMap<string, LiveApproval>;
  refusals: string[];
  planError: string | null;
}

/** The comment's model: one section per grant file the PR adds, changes or removes; the rest as counts. */
export function buildPullRequestComment(src: CommentSources): PullRequestComment {
  const sections = [...src.changeKinds]
    .flatMap(([file, change]) => {
      const grantId = grantIdFromPath(file);
      return grantId === null ? [] : [section(src, file, grantId, change)];
    })
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const files = new Set(sections.map((s) => s.file));
  const ids = new Set(sections.map((s) => s.grantId));
  return {
    pullNumber: src.pullNumber,
    basis: src.basis,
    sections,
    otherProblems: src.problems.filter((p) => !files.has(p.file)),
    planError: src.planError,
    refusals: src.refusals,
    others: others(src.plans, ids),
    reviewers: reviewersOf(sections),
  };
}

function section(src: CommentSources, file: string, grantId: string, change: FileChange): GrantSection {
  const grant = change === "removed" ? undefined : src.grants.find((g) => g.file === file);
  const creates: RuleToCreate[] = [];
  const deletes: GrantSection["deletes"] = [];
  for (const plan of src.plans) {
    for (const step of plan.steps) {
      if (step.grantId !== grantId) continue;
      if (step.kind === "create") creates.push(ruleToCreate(step.rule.ruleName, step, grant));
      else deletes.push({ ruleName: step.ruleName, ruleId: step.ruleId, reason: step.reason });
    }
    for (const later of plan.pending.filter((p) => p.grantId === grantId))
      creates.push({ ...ruleToCreate(null, later, grant), startsAt: later.startsAt });
  }
  return {
    grantId,
    file,
    change,
    creates,
    deletes,
    reason: grant?.reason ?? null,
    valid: change === "removed" || grant !== undefined,
    approval: approvalOf(src, grantId, change, grant),
    problems: src.problems.filter((p) => p.file === file),
  };
}

/** The rule a grant's create step (or pending start) makes, its users and resources as the step or file names them. */
export function ruleToCreate(
  ruleName: string | null,
  step: { expiresAt: string; users?: string[]; groups?: string[]; resources?: string[] },
  grant: Grant | undefined,
): RuleToCreate {
  return {
    ruleName,
    users: step.users ?? grant?.users.map(label) ?? [],
    groups: step.groups ?? grant?.groups.map(label) ?? [],
    resources: step.resources ?? grant?.resources.map(label) ?? [],
    startsAt: grant?.startsAt ?? null,
    expiresAt: step.expiresAt,
    durationMs: grant?.durationMs ?? null,
  };
}

function label(ref: string | { id: number }): string {
  return typeof ref === "string" ? ref : `{id: ${ref.id}}`;
}

function approvalOf(
  src: CommentSources,
  grantId: string,
  change: FileChange,
  grant: Grant | undefined,
): ApprovalStatus | null {
  if (change === "removed") return { kind: "none" };
  if (grant === undefined) return null;
  const live = src.live.get(grantId);
  if (live !== undefined) return { kind: "live", live, breakGlass: grant.breakGlass };
  if (src.policy === null) return null;
  return policyApproval(src.policy, grant, src.versions.get(grantId));
}

/** What the policy requires of a grant (by its resolved resources when known, else by its names and ids). */
export function policyApproval(
  policy: PolicyFile,
  grant: Grant,
  version?: ResolvedVersion,
): Extract<ApprovalStatus, { kind: "policy" }> {
  const rules = version
    ? versionRules(policy, version)
    : rulesForGrantees(effectiveRules(policy, grant.resources.map(writtenResourceKey)), grant);
  return {
    kind: "policy",
    requirements: rules.requirements.filter((r) => r.approvals > 0),
    autoApprove: rules.autoApprove,
    breakGlass: grant.breakGlass,
  };
}

function others(plans: readonly Plan[], ids: ReadonlySet<string>): OtherState {
  const mine = (grantId: string | null): boolean => grantId !== null && ids.has(grantId);
  const steps = plans.flatMap((plan) => plan.steps).filter((step) => !mine(step.grantId));
  return {
    create: steps.filter((step) => step.kind === "create").length,
    delete: steps.filter((step) => step.kind === "delete").length,
    kept: plans.flatMap((plan) => plan.kept).filter((k) => !mine(k.grantId)).length,
    notGranted: plans.flatMap((plan) => plan.unapproved).filter((u) => !mine(u.grantId)).length,
    pending: plans.flatMap((plan) => plan.pending).filter((p) => !mine(p.grantId)).length,
    held: plans.flatMap((plan) => plan.held).filter((h) => !mine(h.grantId)).length,
  };
}

/** The approvers of every requirement still short of approvals, in order, each once. */
function reviewersOf(sections: readonly GrantSection[]): string[] {
  const wanted: string[] = [];
  const add = (principals: readonly string[]): void => {
    for (const who of principals) if (!wanted.includes(who)) wanted.push(who);
  };
  for (const { approval } of sections) {
    if (approval?.kind === "policy" && !approval.breakGlass)
      approval.requirements.forEach((r) => add(r.approvers));
    if (approval?.kind === "live" && approval.live.approval.status === "unverified")
      approval.live.tallies.filter((t) => t.qualified.length < t.approvals).forEach((t) => add(t.approvers));
  }
  return wanted;
}
