// One short human line for how a grant version was approved (used by the plan formats).
import type { Approval } from "../model/types.js";

export function describeApproval(approval: Approval): string {
  const pr = approval.pr === null ? "" : ` (PR #${approval.pr})`;
  switch (approval.status) {
    case "approved":
      switch (approval.mode) {
        case "review":
          return `approved by ${approval.approvers.map((a) => `@${a}`).join(", ") || "review"}${pr}`;
        case "auto":
          return `auto-approved by policy${pr}`;
        case "break-glass":
          return `break-glass, no review${pr}`;
        case "trust-git":
          return `trusted from git history, approval not verified${pr}`;
      }
      break;
    case "unverified":
    case "rejected":
      return `${approval.status}: ${approval.reason}${pr}`;
  }
  return "unknown";
}
