import type { Octokit } from "@octokit/rest";
import { formatDuration, parseDuration } from "../core/time/duration.js";
import type { EffectiveRules } from "../core/validate/policy-rules.js";
import { grantSpanMs, policyRefusal, versionRules } from "../core/validate/policy-refusal.js";
import type {
  Approval,
  ApprovalVerifier,
  PolicyFile,
  ResolvedVersion,
  UserRef,
} from "../core/model/types.js";
import type { LiveApproval, RequirementTally } from "../core/model/live-approval.js";
import { countApprovals } from "./count-approvals.js";
import { findLanding, type Landing, type LandingPullRequest } from "./find-landing.js";
import type { GitHubLogger } from "./github-logger.js";
import { isGrantee } from "./is-grantee.js";
import { listLatestReviews, type LatestReview } from "./list-latest-reviews.js";
import { PrincipalMatcher } from "./principal-matcher.js";
import { TeamUnreadableError } from "./team-unreadable-error.js";

export interface GitHubApprovalVerifierOptions {
  octokit: Octokit;
  owner: string;
  repo: string;
  logger: GitHubLogger;
  now?: () => Date;
  /** How long team memberships are cached (default 10 minutes). */
  membershipTtlMs?: number;
}

type Who = { pr: number | null; requester: string | null };
type TallySink = (tallies: RequirementTally[]) => void;
type Check = { ok: true } | { ok: false; why: string };

/**
 * Verifies grant approvals against GitHub (docs/github.md, "Approval rules as enforced"): the merged PR that landed the version, approvals of its
 * final head commit by qualified reviewers, auto-approve and break-glass. GitHub facts (landing PR, reviews) are
 * cached per commit and team memberships per verifier, so verifying many grants of one commit costs one lookup.
 * GitHub failures throw: an unreadable state is never "unapproved".
 */
export class GitHubApprovalVerifier implements ApprovalVerifier {
  private readonly octokit: Octokit;
  private readonly owner: string;
  private readonly repo: string;
  private readonly logger: GitHubLogger;
  private readonly matcher: PrincipalMatcher;
  private readonly landings = new Map<string, Promise<Landing>>();
  private readonly reviews = new Map<number, Promise<LatestReview[]>>();

  constructor(options: GitHubApprovalVerifierOptions) {
    this.octokit = options.octokit;
    this.owner = options.owner;
    this.repo = options.repo;
    this.logger = options.logger;
    this.matcher = new PrincipalMatcher(
      options.octokit,
      options.now ?? (() => new Date()),
      options.membershipTtlMs,
    );
  }

  async verify(version: ResolvedVersion, policy: PolicyFile): Promise<Approval> {
    const approval = await this.decide(version, policy);
    const detail =
      approval.status === "approved"
        ? `approved (${approval.mode})`
        : `${approval.status}: ${approval.reason}`;
    this.logger.debug(`approval of grant ${version.grant.id} at ${version.commit.slice(0, 12)}: ${detail}`);
    return approval;
  }

  /**
   * What `verify` would say if the open pull request `pull` landed the version now: the same judgement with its
   * current reviews (read afresh, never cached: a review just submitted must count) and the tally per
   * requirement for the PR comment's live status.
   */
  async verifyAsIfMerged(
    version: ResolvedVersion,
    policy: PolicyFile,
    pull: LandingPullRequest,
  ): Promise<LiveApproval> {
    let tallies: RequirementTally[] = [];
    const who: Who = { pr: pull.number, requester: pull.author };
    try {
      const approval = await this.judge(version, policy, { kind: "pull", pull }, who, {
        fresh: true,
        sink: (counted) => (tallies = counted),
      });
      return { approval, tallies };
    } catch (error) {
      if (error instanceof TeamUnreadableError)
        return { approval: { status: "unverified", reason: error.message, ...who }, tallies };
      throw error;
    }
  }

  private async decide(version: ResolvedVersion, policy: PolicyFile): Promise<Approval> {
    const landing = await this.landing(version.commit);
    if (landing.kind === "missing") {
      const where = `${this.owner}/${this.repo}`;
      return reject(
        `commit ${version.commit.slice(0, 12)} was not found in ${where} (HTTP ${landing.status})`,
        {
          pr: null,
          requester: null,
        },
      );
    }
    const who: Who =
      landing.kind === "pull"
        ? { pr: landing.pull.number, requester: landing.pull.author }
        : { pr: null, requester: landing.author };
    try {
      return await this.judge(version, policy, landing, who);
    } catch (error) {
      // The token cannot read an approver or requester team: say so, instead of "not approved".
      if (error instanceof TeamUnreadableError)
        return { status: "unverified", reason: error.message, ...who };
      throw error;
    }
  }

  private async judge(
    version: ResolvedVersion,
    policy: PolicyFile,
    landing: Exclude<Landing, { kind: "missing" }>,
    who: Who,
    live: { fresh: boolean; sink: TallySink } | null = null,
  ): Promise<Approval> {
    const { grant } = version;
    const rules = versionRules(policy, version);
    const span = grantSpanMs(grant, version.landedAt);
    const refusal = policyRefusal(rules, span, grant);
    if (refusal !== null) return reject(refusal, who);
    const breakGlass = grant.breakGlass ? await this.breakGlass(policy, span, who.requester) : null;
    if (breakGlass?.ok) return approve("break-glass", [], who);
    const breakGlassNote = breakGlass && !breakGlass.ok ? `; break-glass not allowed: ${breakGlass.why}` : "";
    if (landing.kind === "push")
      return reject(`landed by a direct push, not a merged pull request${breakGlassNote}`, who);
    if (await this.autoApproves(rules, span, who.requester)) return approve("auto", [], who);
    const count = await this.count(landing.pull, version, policy, rules, live?.fresh === true);
    live?.sink(count.tallies);
    if (count.met) return approve("review", count.approvers, who);
    return { status: "unverified", reason: `${count.reason}${breakGlassNote}`, ...who };
  }

  private async breakGlass(policy: PolicyFile, span: number, requester: string | null): Promise<Check> {
    const rules = policy.breakGlass;
    if (!rules) return { ok: false, why: "the policy has no breakGlass section" };
    const cap = parseCap(rules.maxDuration);
    if (span > cap)
      return { ok: false, why: `lasts ${formatDuration(span)}, over the ${formatDuration(cap)} cap` };
    if (requester === null) return { ok: false, why: "the requester has no GitHub account" };
    if (!(await this.matcher.includes(requester, rules.requesters)))
      return { ok: false, why: `${requester} is not in ${rules.requesters.join(", ")}` };
    return { ok: true };
  }

  private async autoApproves(
    rules: EffectiveRules,
    span: number,
    requester: string | null,
  ): Promise<boolean> {
    const auto = rules.autoApprove;
    if (auto === null || requester === null || span > auto.maxDurationMs) return false;
    return this.matcher.includes(requester, auto.requesters);
  }

  private async count(
    pull: LandingPullRequest,
    version: ResolvedVersion,
    policy: PolicyFile,
    rules: EffectiveRules,
    fresh: boolean,
  ) {
    return countApprovals({
      reviews: fresh
        ? await listLatestReviews(this.target(), pull.number)
        : await this.latestReviews(pull.number),
      headSha: pull.headSha,
      author: pull.author,
      isGrantee: (login) => isGrantee(login, { users: granteeLabels(version) }, policy),
      requirements: rules.requirements,
      firstMatch: (login, principals) => this.matcher.firstMatch(login, principals),
    });
  }

  private landing(commit: string): Promise<Landing> {
    return cached(this.landings, commit, () => findLanding(this.target(), commit));
  }

  private latestReviews(pullNumber: number): Promise<LatestReview[]> {
    return cached(this.reviews, pullNumber, () => listLatestReviews(this.target(), pullNumber));
  }

  private target() {
    return { octokit: this.octokit, owner: this.owner, repo: this.repo };
  }
}

/** Memoises a promise by key; a rejected promise is dropped so the next call asks again. */
function cached<K, V>(map: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
  const hit = map.get(key);
  if (hit) return hit;
  const value = load();
  map.set(key, value);
  value.catch(() => {
    if (map.get(key) === value) map.delete(key);
  });
  return value;
}

/** An unparsable cap allows nothing (the policy validator reports it). */
function parseCap(text: string): number {
  return parseDuration(text) ?? 0;
}

function approve(mode: "review" | "auto" | "break-glass", approvers: string[], who: Who): Approval {
  return { status: "approved", mode, approvers, ...who };
}

function reject(reason: string, who: Who): Approval {
  return { status: "rejected", reason, ...who };
}

/** The grant's users as the grantee check sees them: the resolved identity label when found, else as written. */
function granteeLabels(version: ResolvedVersion): UserRef[] {
  return version.grant.users.map((ref, index) => version.resolvedUsers[index]?.label ?? ref);
}
