// The plan as Markdown for pull-request comments: a table of steps (who, what, until, why), break-glass grants
// called out in bold, then unapproved, pending, held and kept grants, counts, warnings and the next wake.
// Every text from a grant file or the vendor goes through inertMarkdown/inertCode (see inert-markdown.ts).
import { granteeItems } from "./grantee-items.js";
import { describeApproval } from "./describe-approval.js";
import { reasonText } from "../model/reason-text.js";
import { inertCode, inertMarkdown } from "./inert-markdown.js";
import { summaryLine } from "./format-plan-text.js";
import { summarizeSteps } from "../plan/summarize-steps.js";
import type { CreateStep, Plan, PlanStep } from "../model/types.js";

export function formatPlanMarkdown(plan: Plan): string {
  const out = [`### grantops plan for ${code(plan.organization)}`, "", intro(plan), ""];
  out.push(`**${summaryLine(summarizeSteps(plan.steps)).replace(/\.$/, "")}.**`, "");
  for (const step of plan.steps)
    if (step.kind === "create" && step.breakGlass) out.push(breakGlass(step), "");
  if (plan.steps.length === 0) out.push("No changes.", "");
  else out.push("| Action | Rule | Grant | Who | What | Until | Why |", "|---|---|---|---|---|---|---|");
  out.push(...plan.steps.map(row));
  if (plan.steps.length > 0) out.push("");
  out.push(
    ...list("Not granted (approval missing or rejected)", plan.unapproved, (u) => {
      const pr = u.pr === null ? "" : `, PR #${u.pr}`;
      return `${code(u.grantId)} (${u.status}${pr}): ${cell(u.reason)}`;
    }),
  );
  out.push(
    ...list(
      "Pending (starts later)",
      plan.pending,
      (p) => `${code(p.grantId)} from ${cell(p.startsAt)} until ${cell(p.expiresAt)}`,
    ),
  );
  out.push(
    ...list(
      "Held (kept until their recorded expiry)",
      plan.held,
      (h) => `${code(h.ruleName)} for ${code(h.grantId)} until ${cell(h.expiresAt)}: ${cell(h.reason)}`,
    ),
  );
  out.push(
    ...list(
      "Suspicious (look like grantops rules, no proof grantops made them: never written)",
      plan.suspicious ?? [],
      (r) => `${code(r.ruleName)} (rule ${r.ruleId}): ${cell(r.reason)}`,
    ),
  );
  out.push(
    ...list(
      "Unverified (conditions not seen yet: neither kept nor deleted)",
      plan.unverified ?? [],
      (u) => `${code(u.ruleName)} for ${code(u.grantId)} until ${u.expiresAt}`,
    ),
  );
  out.push(...kept(plan));
  const { managed, tampered, foreign } = plan.counts;
  out.push(
    `Rules in the organization: ${managed} managed, ${tampered} tampered, ${foreign} foreign (never touched).`,
  );
  out.push("", ...list("Warnings", plan.warnings, (w) => cell(w)));
  out.push(`Next wake: ${plan.nextWakeAt ?? "none"}.`);
  return out.join("\n") + "\n";
}

function intro(plan: Plan): string {
  const commit = plan.commit === null ? "no commit" : `commit ${code(plan.commit.slice(0, 12))}`;
  return `Organization ${code(plan.organization)} (${cell(String(plan.orgId))}), ${commit}, planned at ${cell(plan.at)}.`;
}

function breakGlass(step: CreateStep): string {
  const pr = step.pr === null ? "" : ` (PR #${step.pr})`;
  return (
    `**BREAK-GLASS: grant ${code(step.grantId)} gives ${cell(granteeItems(step.users, step.groups).join(", "))} access to ` +
    `${cell(step.resources.join(", "))} until ${cell(step.expiresAt)} without review${pr}.**`
  );
}

function row(step: PlanStep): string {
  if (step.kind === "create") {
    const cells = [
      "create",
      code(step.rule.ruleName),
      code(step.grantId),
      cell(granteeItems(step.users, step.groups).join(", ")),
      cell(step.resources.join(", ")),
      cell(step.expiresAt),
      cell(`${reasonText(step.reason)} (${describeApproval(step.approval)})`),
    ];
    return `| ${cells.join(" | ")} |`;
  }
  const grant = step.grantId === null ? "?" : code(step.grantId);
  return `| delete | ${code(step.ruleName)} | ${grant} |  |  | ${cell(step.expiresAt ?? "?")} | ${cell(step.reason)} |`;
}

function kept(plan: Plan): string[] {
  if (plan.kept.length === 0) return [];
  const items = plan.kept.map(
    (k) => `- ${code(k.ruleName)} for ${code(k.grantId)} until ${cell(k.expiresAt)}`,
  );
  return [`<details><summary>Kept rules (${plan.kept.length})</summary>`, "", ...items, "", "</details>", ""];
}

function list<T>(title: string, items: readonly T[], line: (item: T) => string): string[] {
  if (items.length === 0) return [];
  return [`#### ${title} (${items.length})`, "", ...items.map((item) => `- ${line(item)}`), ""];
}

/** Text safe inside a table cell or list item: inert (no HTML, links, mentions, pipes or newlines). */
function cell(text: string): string {
  return inertMarkdown(text);
}

/** An id or name: a code span when plain, else inert text. */
function code(text: string): string {
  return inertCode(text);
}
