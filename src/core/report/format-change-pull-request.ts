// The title and body of a pull request opened by `grantops request`, `revoke` or `extend` with --open-pr: the grant
// file's part of the PR comment (the rule it creates, the approval the policy requires) with a line on how it was
// made. Text from the grant file goes through inertMarkdown/inertCode as in the PR comment; the title is one line
// of inert terminal text (GitHub renders titles as plain text).
import { inertTerminal } from "./inert-terminal.js";
import { inertMarkdown } from "./inert-markdown.js";
import { formatGrantSection } from "./format-pull-request-comment.js";
import type { GrantSection } from "./pull-request-comment.js";

export type ChangeKind = "request" | "revoke" | "extend";

/** Longest title (GitHub accepts 256 characters). */
export const MAX_TITLE_LENGTH = 200;

export interface ChangeDescription {
  kind: ChangeKind;
  /** The grant file's section (as in the PR comment). */
  section: GrantSection;
  /** For `extend`: the new duration as given ("4h"). */
  duration?: string;
  /** How the names were checked: "checked in Secure Access (organization acme)" or why not. */
  names: string | null;
}

/** "Access request: <reason>" (the grant id without a reason), "Revoke access: <id>", "Extend access: <id> (4h)". */
export function changeTitle(change: ChangeDescription): string {
  const { section } = change;
  const text =
    change.kind === "request"
      ? `Access request: ${section.reason ?? section.grantId}`
      : change.kind === "revoke"
        ? `Revoke access: ${section.grantId}`
        : `Extend access: ${section.grantId}${change.duration === undefined ? "" : ` (${change.duration})`}`;
  const line = inertTerminal(text.replace(/\s+/g, " ").trim());
  return line.length <= MAX_TITLE_LENGTH ? line : `${line.slice(0, MAX_TITLE_LENGTH - 1)}…`;
}

const INTRO: Record<ChangeKind, string> = {
  request:
    "Opened by `grantops request`: merging this pull request, once approved as the policy requires, is the approval of this access.",
  revoke:
    "Opened by `grantops revoke`: merging this pull request ends the access early (the rule is deleted on merge; no approval needed).",
  extend:
    "Opened by `grantops extend`: a new version of the grant with a new duration from the merge, so it needs a new approval.",
};

export function formatChangeBody(change: ChangeDescription): string {
  const lines = [INTRO[change.kind], "", ...formatGrantSection(change.section)];
  if (change.names !== null) lines.push(`Names: ${inertMarkdown(change.names)}.`, "");
  lines.push("grantops comments on this pull request with the live plan and approval status.", "");
  return lines.join("\n");
}
