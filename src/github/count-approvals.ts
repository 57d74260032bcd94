import { compareText } from "../core/model/compare-text.js";
import { GROUP_EXTRA_NOTE, type ApprovalRequirement } from "../core/validate/policy-rules.js";
import type { RequirementTally } from "../core/model/live-approval.js";
import type { LatestReview } from "./list-latest-reviews.js";

export interface ApprovalCount {
  met: boolean;
  /** Logins whose approvals counted toward a requirement, in review order. */
  approvers: string[];
  /** Per requirement, in order: who counted toward it so far (the PR comment's live status line). */
  tallies: RequirementTally[];
  /** What is missing, e.g. "needs 2 approvals from @acme/sre-leads; got 1 (bob-gh); ignored: alice-gh (PR author)". */
  reason: string;
}

export interface CountApprovalsInput {
  reviews: readonly LatestReview[];
  headSha: string;
  author: string | null;
  isGrantee: (login: string) => boolean;
  requirements: readonly ApprovalRequirement[];
  /** The first of `principals` that includes `login`, or null. */
  firstMatch: (login: string, principals: readonly string[]) => Promise<string | null>;
}

/**
 * Counts approvals of the PR's final head commit from qualified reviewers: not the PR author, not a bot, not a
 * grantee. Every requirement must be met by enough distinct reviewers from its own approver list (one reviewer
 * may count toward several requirements).
 */
export async function countApprovals(input: CountApprovalsInput): Promise<ApprovalCount> {
  const ignored = new Map<string, string>();
  const candidates: string[] = [];
  for (const review of input.reviews) {
    const why = disqualification(review, input);
    if (why === null) candidates.push(review.login);
    else ignored.set(review.login, why);
  }
  const approvers: string[] = [];
  const tallies: RequirementTally[] = [];
  const missing: string[] = [];
  const outside = new Map<string, string[]>();
  for (const requirement of input.requirements) {
    const qualified: string[] = [];
    const others: string[] = [];
    for (const login of candidates) {
      const match = await input.firstMatch(login, requirement.approvers);
      (match === null ? others : qualified).push(login);
    }
    for (const login of qualified) if (!approvers.includes(login)) approvers.push(login);
    tallies.push({
      approvals: requirement.approvals,
      approvers: [...requirement.approvers],
      qualified,
      ...(requirement.groupExtra ? { groupExtra: true as const } : {}),
    });
    if (qualified.length >= requirement.approvals) continue;
    missing.push(describeShortfall(requirement, qualified));
    for (const login of others)
      outside.set(login, [...(outside.get(login) ?? []), listPrincipals(requirement.approvers)]);
  }
  for (const [login, lists] of outside) ignored.set(login, `not in ${lists.join(" or ")}`);
  return {
    met: missing.length === 0,
    approvers,
    tallies,
    reason: missing.length === 0 ? "" : reason(missing, ignored),
  };
}

function disqualification(review: LatestReview, input: CountApprovalsInput): string | null {
  if (review.state === "CHANGES_REQUESTED") return "changes requested";
  if (review.state === "DISMISSED") return "approval dismissed";
  if (review.commitId !== input.headSha) return "approved an older commit";
  if (input.author !== null && review.login.toLowerCase() === input.author.toLowerCase()) return "PR author";
  if (review.isBot) return "bot";
  if (input.isGrantee(review.login)) return "grantee";
  return null;
}

function describeShortfall(requirement: ApprovalRequirement, qualified: readonly string[]): string {
  const n = requirement.approvals;
  const got =
    qualified.length === 0 ? "0" : `${qualified.length} (${[...qualified].sort(byLogin).join(", ")})`;
  const extra = requirement.groupExtra ? GROUP_EXTRA_NOTE : "";
  return `needs ${n} approval${n === 1 ? "" : "s"} from ${listPrincipals(requirement.approvers)}${extra}; got ${got}`;
}

function reason(missing: readonly string[], ignored: ReadonlyMap<string, string>): string {
  const parts = [...missing];
  if (ignored.size > 0) {
    const list = [...ignored.entries()]
      .sort(([a], [b]) => byLogin(a, b))
      .map(([login, why]) => `${login} (${why})`);
    parts.push(`ignored: ${list.join(", ")}`);
  }
  return parts.join("; ");
}

function listPrincipals(principals: readonly string[]): string {
  return principals.length === 0 ? "(no approvers configured)" : principals.join(", ");
}

function byLogin(a: string, b: string): number {
  return compareText(a.toLowerCase(), b.toLowerCase());
}
