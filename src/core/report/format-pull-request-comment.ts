// The PR comment as Markdown: first, for each grant file the pull request adds, changes or removes, the exact
// rules it will create or delete, the approval requirement and its live status, auto-approve / break-glass, and
// every problem with file:line; then the rest of the organization only as a collapsed summary. Every text from a
// grant file, GitHub or the vendor goes through inertMarkdown/inertCode (see inert-markdown.ts).
import { granteeItems } from "./grantee-items.js";
import { formatDuration } from "../time/duration.js";
import { reasonText } from "../model/reason-text.js";
import type { RequirementTally } from "../model/live-approval.js";
import type { Problem } from "../model/types.js";
import { GROUP_EXTRA_NOTE, type ApprovalRequirement } from "../validate/policy-rules.js";
import { inertCode, inertMarkdown } from "./inert-markdown.js";
import type {
  ApprovalStatus,
  GrantSection,
  OtherState,
  PullRequestComment,
  RuleToCreate,
} from "./pull-request-comment.js";

export function formatPullRequestComment(comment: PullRequestComment): string {
  const out = [`## grantops: pull request #${comment.pullNumber}`, "", comment.basis, ""];
  if (comment.sections.length === 0) out.push("This pull request changes no grant file.", "");
  for (const section of comment.sections) out.push(...formatGrantSection(section));
  if (comment.otherProblems.length > 0)
    out.push("#### Other files", "", ...comment.otherProblems.map(problemLine), "");
  for (const refusal of comment.refusals) out.push(`**Refused after merge:** ${inertMarkdown(refusal)}`, "");
  if (comment.planError !== null) out.push(`**No plan:** ${inertMarkdown(comment.planError)}`, "");
  out.push(...othersLines(comment.others));
  return out.join("\n");
}

/** One grant file's part of the comment (also the body of a pull request opened by `grantops request`). */
export function formatGrantSection(section: GrantSection): string[] {
  const out = [`### ${inertCode(section.grantId)} (${section.change}): ${inertCode(section.file)}`, ""];
  for (const rule of section.creates) out.push(`- **Creates** ${createLine(rule)}`);
  for (const rule of section.deletes)
    out.push(
      `- **Deletes** ${inertCode(rule.ruleName)} (rule ${rule.ruleId}, ${inertMarkdown(rule.reason)})`,
    );
  if (section.change !== "removed" && section.valid) {
    if (section.creates.length === 0 && section.deletes.length === 0) out.push("- **No rule change**");
    out.push(`- **Reason:** ${inertMarkdown(reasonText(section.reason))}`);
  }
  if (!section.valid && section.change !== "removed")
    out.push("- **Not planned:** the file has errors; fix them and push again");
  if (section.approval !== null) out.push(...approvalLines(section.approval));
  if (section.problems.length > 0)
    out.push("- **Problems:**", ...section.problems.map((p) => `  ${problemLine(p)}`));
  out.push("");
  return out;
}

function createLine(rule: RuleToCreate): string {
  const who = granteeItems(rule.users, rule.groups).map(inertMarkdown).join(", ");
  const what = rule.resources.map(inertMarkdown).join(", ");
  const name =
    rule.ruleName !== null
      ? inertCode(rule.ruleName)
      : rule.startsAt !== null
        ? "a rule (at the start)"
        : "a rule";
  return `${name}: ${who} → ${what}, ${when(rule)}`;
}

function when(rule: RuleToCreate): string {
  if (rule.startsAt !== null) return `from ${rule.startsAt} to ${rule.expiresAt}`;
  if (rule.durationMs !== null)
    return `from the merge for ${formatDuration(rule.durationMs)} (until ${rule.expiresAt} if merged now)`;
  return `from the merge until ${rule.expiresAt}`;
}

function approvalLines(status: ApprovalStatus): string[] {
  switch (status.kind) {
    case "none":
      return ["- **Approval:** none needed to remove access: the rule is deleted when this is merged"];
    case "policy":
      return policyLines(status);
    case "live":
      return liveLines(status);
  }
}

function liveLines(status: Extract<ApprovalStatus, { kind: "live" }>): string[] {
  const { approval, tallies } = status.live;
  const breakGlass = status.breakGlass ? ["- **Break-glass:** requested"] : [];
  if (approval.status === "approved" && approval.mode === "auto")
    return [...breakGlass, "- **Approval:** auto-approved (the policy's autoApprove): no review needed"];
  if (approval.status === "approved" && approval.mode === "break-glass")
    return [
      "- **Break-glass:** allowed: granted at once when merged, and flagged to the policy's notify list",
    ];
  if (approval.status === "rejected")
    return [...breakGlass, `- **Approval:** rejected: ${inertMarkdown(approval.reason)}`];
  const lines = tallies.map((tally) => `- **Approval:** ${tallyLine(tally)}`);
  if (approval.status === "approved")
    return [...breakGlass, ...lines, "- **Status:** approved if merged now"];
  if (lines.length === 0) lines.push(`- **Approval:** not verified: ${inertMarkdown(approval.reason)}`);
  else lines.push(`- **Details:** ${inertMarkdown(approval.reason)}`);
  return [...breakGlass, ...lines];
}

/** "needs 2 approvals from @acme/sre-leads: 1 so far (lee); waiting for 1" (the names stay unlinked). */
export function tallyLine(tally: RequirementTally): string {
  const head = needs(tally);
  const so = tally.qualified.length;
  const who = so === 0 ? "" : ` (${tally.qualified.map(inertMarkdown).join(", ")})`;
  if (so >= tally.approvals) return `${head}: met${who}`;
  return `${head}: ${so} so far${who}; waiting for ${tally.approvals - so}`;
}

function needs(requirement: ApprovalRequirement): string {
  const n = requirement.approvals;
  const from =
    requirement.approvers.length === 0 ? "(no approvers configured)" : requirement.approvers.join(", ");
  const extra = requirement.groupExtra ? GROUP_EXTRA_NOTE : "";
  return `needs ${n} approval${n === 1 ? "" : "s"} from ${inertMarkdown(from)}${extra}`;
}

function policyLines(status: Extract<ApprovalStatus, { kind: "policy" }>): string[] {
  const { requirements, autoApprove, breakGlass } = status;
  const note = inertMarkdown(status.note ?? "not checked: GitHub is not configured");
  const lines = requirements.map((r) => `- **Approval:** ${needs(r)} (${note})`);
  if (autoApprove !== null) {
    const who = inertMarkdown(autoApprove.requesters.join(", "));
    lines.push(
      `- **Auto-approve:** when requested by ${who} for at most ${formatDuration(autoApprove.maxDurationMs)}`,
    );
  }
  if (breakGlass) lines.push("- **Break-glass:** requested (checked against the policy when merged)");
  return lines;
}

function problemLine(p: Problem): string {
  return `- ${inertCode(`${p.file}:${p.line}:${p.column}`)} ${p.severity}: ${inertMarkdown(p.message)} [${inertMarkdown(p.code)}]`;
}

function othersLines(o: OtherState): string[] {
  const parts = [
    `${o.create} to create`,
    `${o.delete} to delete`,
    `${o.kept} kept`,
    `${o.notGranted} not granted`,
    `${o.pending} starting later`,
    `${o.held} held`,
  ];
  return [
    "<details><summary>The rest of the organization (not changed by this pull request)</summary>",
    "",
    `${parts.join(", ")}. The full plan is in the grantops check.`,
    "",
    "</details>",
  ];
}
