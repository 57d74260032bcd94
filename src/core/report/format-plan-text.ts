// The plan for terminals: a header, one line per step, then what stays, warnings and the next wake.
// Deterministic: no relative times, only the instants in the plan. Text from grant files and the vendor goes
// through inertTerminal (no ANSI escapes, controls or bidi characters reach the terminal).
import { granteeItems } from "./grantee-items.js";
import { inertTerminal as t } from "./inert-terminal.js";
import { NO_REASON_GIVEN } from "../model/reason-text.js";
import { summarizeSteps, type StepsSummary } from "../plan/summarize-steps.js";
import type { CreateStep, DeleteStep, Plan } from "../model/types.js";

export function formatPlanText(plan: Plan): string {
  const lines = [header(plan), summaryLine(summarizeSteps(plan.steps)), ""];
  lines.push(...(plan.steps.length === 0 ? ["No changes."] : plan.steps.map(stepLine)));
  lines.push(
    ...section(
      "Kept",
      plan.kept,
      (k) => `  = ${t(k.ruleName)}  grant ${t(k.grantId)}  until ${t(k.expiresAt)}`,
    ),
  );
  lines.push(
    ...section(
      "Pending",
      plan.pending,
      (p) => `  ~ grant ${t(p.grantId)}  starts ${t(p.startsAt)}  until ${t(p.expiresAt)}`,
    ),
  );
  lines.push(
    ...section(
      "Unapproved (not granted)",
      plan.unapproved,
      (u) =>
        `  ! grant ${t(u.grantId)}  ${u.status}: ${t(u.reason)}${u.pr === null ? "" : `  (PR #${u.pr})`}`,
    ),
  );
  lines.push(
    ...section(
      "Held (kept until their recorded expiry)",
      plan.held,
      (h) => `  = ${t(h.ruleName)}  grant ${t(h.grantId)}  until ${t(h.expiresAt)}  (${t(h.reason)})`,
    ),
  );
  lines.push(...ownershipSections(plan));
  const { managed, tampered, foreign } = plan.counts;
  lines.push(
    "",
    `Rules: ${managed} managed, ${tampered} tampered, ${foreign} foreign (never touched)${extraCounts(plan)}`,
  );
  lines.push(...section("Warnings", plan.warnings, (w) => `  ! ${t(w)}`));
  lines.push("", `Next wake: ${plan.nextWakeAt ?? "none"}`);
  return lines.join("\n") + "\n";
}

/** Suspicious and unverified rules (docs/plan-and-safety.md, "Ownership"). */
function ownershipSections(plan: Plan): string[] {
  return [
    ...section(
      "Suspicious (look like grantops rules, no proof grantops made them: never written)",
      plan.suspicious ?? [],
      (s) => `  ? ${t(s.ruleName)}  rule ${s.ruleId}  (${t(s.reason)})`,
    ),
    ...section(
      "Unverified (conditions not seen yet: neither kept nor deleted; verified on a later run)",
      plan.unverified ?? [],
      (u) => `  ? ${t(u.ruleName)}  rule ${u.ruleId}  grant ${t(u.grantId)}  until ${t(u.expiresAt)}`,
    ),
  ];
}

function extraCounts(plan: Plan): string {
  const { unexplained = 0, unverified = 0, suspicious = 0 } = plan.counts;
  const parts = [
    unexplained > 0 ? `${unexplained} unexplained` : "",
    unverified > 0 ? `${unverified} unverified` : "",
    suspicious > 0 ? `${suspicious} suspicious (never touched)` : "",
  ].filter((part) => part !== "");
  return parts.length === 0 ? "" : `; ${parts.join(", ")}`;
}

function header(plan: Plan): string {
  const commit = plan.commit === null ? "no commit" : `commit ${plan.commit.slice(0, 12)}`;
  return `grantops plan for ${t(plan.organization)} (org ${plan.orgId}) at ${plan.at}, ${commit}`;
}

export function summaryLine(s: StepsSummary): string {
  const reasons = Object.entries(s.byReason)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${n} ${reason}`);
  const detail = reasons.length === 0 ? "" : ` (${reasons.join(", ")})`;
  return `Plan: ${s.create} to create, ${s.delete} to delete${detail}.`;
}

function stepLine(step: CreateStep | DeleteStep): string {
  return step.kind === "create" ? createLine(step) : deleteLine(step);
}

function createLine(step: CreateStep): string {
  const who = t(granteeItems(step.users, step.groups).join(", "));
  const label = step.groups.length === 0 ? "users" : "grantees";
  const what = t(step.resources.join(", "));
  const flag = step.breakGlass ? "  BREAK-GLASS" : "";
  const noReason = step.reason === null ? `  (${NO_REASON_GIVEN})` : "";
  return `+ create ${t(step.rule.ruleName)}  grant ${t(step.grantId)}  ${label} ${who} → ${what}  until ${t(step.expiresAt)}${flag}${noReason}`;
}

function deleteLine(step: DeleteStep): string {
  const grant = t(step.grantId ?? "?");
  const why =
    step.reason === "expired"
      ? `expired at ${step.expiresAt ?? "?"}`
      : `${step.reason}${step.expiresAt === null ? "" : ` (rule expiry ${step.expiresAt})`}`;
  return `- delete ${t(step.ruleName)}  rule ${t(String(step.ruleId))}  grant ${grant}  ${t(why)}`;
}

function section<T>(title: string, items: readonly T[], line: (item: T) => string): string[] {
  if (items.length === 0) return [];
  return ["", `${title} (${items.length}):`, ...items.map(line)];
}
