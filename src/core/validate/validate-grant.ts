import { formatDuration, parseDuration } from "../time/duration.js";
import { confusableReason, describeConfusable } from "./confusable-text.js";
import { toInstant } from "../time/instant.js";
import { groupsForbiddenMessage, resourceRule, writtenResourceKey } from "./policy-rules.js";
import type {
  Grant,
  GrantFile,
  GroupRef,
  PolicyFile,
  Problem,
  ResourceRef,
  SourcePosition,
  UserRef,
} from "../model/types.js";
import { describeRef } from "../model/describe-ref.js";

/**
 * Finds where a value (or, with part "key", its key) sits in the source file, by its path of keys and
 * indexes; falls back to the nearest ancestor that exists. Always returns 1-based positions.
 */
export type Locate = (path: ReadonlyArray<string | number>, part?: "key" | "value") => SourcePosition;

export interface GrantCheckInput {
  /** Grant id (from the path). */
  id: string;
  /** Path relative to the repository root. */
  file: string;
  /** Schema-valid content of the file. */
  data: GrantFile;
  locate: Locate;
  /** The validated policy, or null when it is missing or invalid (policy checks are then skipped). */
  policy: PolicyFile | null;
  now: Date;
  /** The file changed since --changed-since: an already expired grant is then an error, not a warning. */
  changed: boolean;
  /**
   * When this version of the file landed on the default branch, if known (validate in a git repository): a
   * `duration` grant without `startsAt` is then checked for expiry too.
   */
  landedAt?: string | null;
  /** Indexes of users/groups/resources entries to skip (the schema rejected them already). */
  skip?: { users: ReadonlySet<number>; groups?: ReadonlySet<number>; resources: ReadonlySet<number> };
}

export interface GrantCheckResult {
  grant: Grant;
  problems: Problem[];
}

type Path = ReadonlyArray<string | number>;
type Report = (
  severity: Problem["severity"],
  code: string,
  path: Path,
  message: string,
  part?: "key",
) => void;

/** The checks beyond the schema for one grant file. Pure: the time is `now`, positions come from `locate`. */
export function validateGrant(input: GrantCheckInput): GrantCheckResult {
  const problems: Problem[] = [];
  const report: Report = (severity, code, path, message, part) => {
    problems.push({ severity, code, file: input.file, ...toPosition(input.locate(path, part)), message });
  };
  const organization = checkOrganization(input, report);
  checkGrantees(input.data, report);
  checkDuplicates(input.data.users ?? [], "users", userKey, report, input.skip?.users);
  checkDuplicates(input.data.groups ?? [], "groups", userKey, report, input.skip?.groups);
  checkDuplicates(input.data.resources, "resources", resourceKey, report, input.skip?.resources);
  checkConfusables(input.data.users ?? [], "users", report, input.skip?.users);
  checkConfusables(input.data.groups ?? [], "groups", report, input.skip?.groups);
  checkConfusables(input.data.resources, "resources", report, input.skip?.resources);
  checkReason(input, report);
  const times = checkTimes(input, report);
  if (input.policy) checkGroups(input, input.policy, report);
  if (input.policy && times) checkPolicy(input, input.policy, times, report);
  return { grant: toGrant(input, organization, times), problems };
}

function toPosition(position: SourcePosition): { line: number; column: number } {
  return { line: position.line, column: position.column };
}

function checkOrganization(input: GrantCheckInput, report: Report): string {
  const named = input.data.organization;
  if (!input.policy) return named ?? "";
  const aliases = Object.keys(input.policy.organizations);
  if (named !== undefined) {
    if (!aliases.includes(named)) {
      report(
        "error",
        "unknown-organization",
        ["organization"],
        `organization "${named}" is not in the policy (${aliases.join(", ")})`,
      );
    }
    return named;
  }
  if (aliases.length === 1) return aliases[0] ?? "";
  report(
    "error",
    "organization-required",
    [],
    `organization is required: the policy names ${aliases.length} organizations (${aliases.join(", ")})`,
  );
  return "";
}

/** A grant names at least one user or group (docs/formats-and-validate.md). */
function checkGrantees(data: GrantFile, report: Report): void {
  if (data.users !== undefined || data.groups !== undefined) return;
  report("error", "grantee-required", [], "name at least one grantee: users:, groups: or both");
}

function userKey(user: UserRef | GroupRef): string {
  return typeof user === "string" ? user.toLowerCase() : `#${user.id}`;
}

function resourceKey(resource: ResourceRef): string {
  return typeof resource === "string" ? resource : `#${resource.id}`;
}

type ListField = "users" | "groups" | "resources";

const DUPLICATE_CODES: Record<ListField, string> = {
  users: "duplicate-user",
  groups: "duplicate-group",
  resources: "duplicate-resource",
};

const CONFUSED_WITH: Record<ListField, string> = {
  users: "identity",
  groups: "group",
  resources: "resource",
};

function checkDuplicates<T extends UserRef | GroupRef | ResourceRef>(
  items: T[],
  field: ListField,
  key: (item: T) => string,
  report: Report,
  skip: ReadonlySet<number> | undefined,
): void {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    if (skip?.has(index)) return;
    const first = seen.get(key(item));
    if (first === undefined) {
      seen.set(key(item), index);
      return;
    }
    report(
      "error",
      DUPLICATE_CODES[field],
      [field, index],
      `${field}[${index}] ${describeRef(item)} repeats ${field}[${first}]`,
    );
  });
}

/** A warning for each user or resource label with invisible characters or mixed scripts (shown escaped). */
function checkConfusables(
  items: Array<UserRef | GroupRef | ResourceRef>,
  field: ListField,
  report: Report,
  skip: ReadonlySet<number> | undefined,
): void {
  items.forEach((item, index) => {
    if (skip?.has(index) || typeof item !== "string") return;
    const reason = confusableReason(item);
    if (reason === null) return;
    report(
      "warning",
      "confusable-text",
      [field, index],
      `${field}[${index}] ${describeConfusable(item, reason)}: it may look like another ${CONFUSED_WITH[field]} to a reviewer`,
    );
  });
}

/** A grant without `reason` is an error unless the policy sets `defaults.requireReason: false`. */
function checkReason(input: GrantCheckInput, report: Report): void {
  if (input.data.reason !== undefined) return;
  if (input.policy?.defaults?.requireReason === false) return;
  report(
    "error",
    "missing-field",
    [],
    'missing required field "reason" (the policy requires a reason: defaults.requireReason is not false)',
  );
}

/** The grant's duration text: its own, else the policy's `defaults.duration` when it gives no expiresAt. */
function durationText(input: GrantCheckInput): string | undefined {
  if (input.data.duration !== undefined || input.data.expiresAt !== undefined) return input.data.duration;
  return input.policy?.defaults?.duration;
}

interface Times {
  durationMs: number | null;
  startsAtMs: number | null;
  /** Known expiry (expiresAt, or startsAt + duration), else null (counted from the landing time). */
  expiresAtMs: number | null;
}

function checkTimes(input: GrantCheckInput, report: Report): Times | null {
  const { data } = input;
  let ok = true;
  const text = durationText(input);
  if (text === undefined && data.expiresAt === undefined) {
    report(
      "error",
      "duration-or-expiry",
      [],
      "neither duration nor expiresAt, and the policy sets no defaults.duration: give one of them",
    );
    return null;
  }
  const durationMs = text === undefined ? null : parseDuration(text);
  if (text !== undefined && durationMs === null) {
    ok = false;
    report(
      "error",
      "duration-invalid",
      ["duration"],
      `duration "${text}" is not a positive duration of at most 10 years (90s, 30m, 4h, 2d, 1h30m, PT4H, P1DT2H)`,
    );
  }
  const startsAtMs = parseTimestamp(data.startsAt, "startsAt", report);
  const expiresRaw = parseTimestamp(data.expiresAt, "expiresAt", report);
  if (startsAtMs === undefined || expiresRaw === undefined || !ok) return null;
  const expiresAtMs = expiresRaw ?? knownEnd(startsAtMs ?? landedMs(input), durationMs);
  if (startsAtMs !== null && expiresRaw !== null && startsAtMs >= expiresRaw) {
    report(
      "error",
      "starts-after-expiry",
      ["startsAt"],
      `startsAt ${data.startsAt} is not before expiresAt ${data.expiresAt}`,
    );
    return null;
  }
  if (expiresAtMs !== null && expiresAtMs <= input.now.getTime()) {
    const path = expiredPath(data);
    const severity = input.changed ? "error" : "warning";
    const hint = input.changed
      ? "a changed grant must not already be expired"
      : "move it to grants/expired/ (grantops tidy)";
    report(severity, "grant-expired", path, `grant expired at ${toInstant(expiresAtMs)}: ${hint}`);
  }
  return { durationMs, startsAtMs, expiresAtMs: expiresRaw ?? knownEnd(startsAtMs, durationMs) };
}

function knownEnd(fromMs: number | null, durationMs: number | null): number | null {
  return fromMs !== null && durationMs !== null ? fromMs + durationMs : null;
}

/** The landing time of a file that is as committed (not for a file changed since --changed-since). */
function landedMs(input: GrantCheckInput): number | null {
  if (input.changed || input.landedAt === undefined || input.landedAt === null) return null;
  const ms = Date.parse(input.landedAt);
  return Number.isFinite(ms) ? ms : null;
}

function expiredPath(data: GrantFile): Path {
  if (data.expiresAt !== undefined) return ["expiresAt"];
  if (data.startsAt !== undefined) return ["startsAt"];
  return data.duration === undefined ? [] : ["duration"];
}

/** Milliseconds, null when absent, undefined when unusable (reported). */
function parseTimestamp(text: string | undefined, field: string, report: Report): number | null | undefined {
  if (text === undefined) return null;
  const ms = Date.parse(text);
  if (Number.isFinite(ms) && Math.abs(ms) < 8.64e15 - 1e12) return ms;
  report("error", "timestamp-invalid", [field], `${field} "${text}" is not a usable RFC 3339 timestamp`);
  return undefined;
}

/** What the policy says of a resource as the file names it (by name, or by id). */
function policyRuleOf(policy: PolicyFile, resource: ResourceRef): ReturnType<typeof resourceRule> {
  return resourceRule(policy, writtenResourceKey(resource));
}

function checkPolicy(input: GrantCheckInput, policy: PolicyFile, times: Times, report: Report): void {
  const caps = input.data.resources.flatMap((resource, index) => {
    if (input.skip?.resources.has(index)) return [];
    const rule = policyRuleOf(policy, resource);
    if (rule.deny) {
      const message = `resource ${describeRef(resource)} is denied by the policy: it is never grantable through grantops`;
      report("error", "resource-denied", ["resources", index], message);
    }
    return [{ capMs: rule.maxDurationMs, label: describeRef(resource) }];
  });
  const span = grantSpan(input, times);
  if (!span || caps.length === 0) return;
  const cap = caps.reduce((a, b) => (b.capMs < a.capMs ? b : a));
  if (span.ms > cap.capMs) {
    const message = `${span.what} ${formatDuration(span.ms)} exceeds the policy's maximum of ${formatDuration(cap.capMs)} for ${cap.label}`;
    report("error", "duration-over-cap", span.path, message);
  }
  if (input.data.breakGlass === true) checkBreakGlass(policy, span, report);
}

/**
 * A grant with groups: every resource's rule must allow groups (allowGroups; by default groups are forbidden where
 * the rule requires 2 or more approvals), and break-glass is for named users only (docs/formats-and-validate.md).
 */
function checkGroups(input: GrantCheckInput, policy: PolicyFile, report: Report): void {
  const groups = input.data.groups;
  if (groups === undefined || groups.length === 0) return;
  input.data.resources.forEach((resource, index) => {
    if (input.skip?.resources.has(index)) return;
    const rule = policyRuleOf(policy, resource);
    if (rule.allowGroups) return;
    report("error", "groups-not-allowed", ["groups"], groupsForbiddenMessage(describeRef(resource)), "key");
  });
  if (input.data.breakGlass === true) {
    const message =
      "breakGlass: true with groups: break-glass grants name users only (a group needs reviews)";
    report("error", "break-glass-groups", ["breakGlass"], message);
  }
}

interface Span {
  ms: number;
  path: Path;
  what: string;
}

/** How long the grant lasts: its duration, or from startsAt (else now) to expiresAt. Null when already over. */
function grantSpan(input: GrantCheckInput, times: Times): Span | null {
  if (times.durationMs !== null) return { ms: times.durationMs, path: ["duration"], what: "duration" };
  if (times.expiresAtMs === null) return null;
  const from = times.startsAtMs ?? input.now.getTime();
  const ms = times.expiresAtMs - from;
  if (ms <= 0) return null;
  const what = times.startsAtMs === null ? "time from now to expiresAt" : "span from startsAt to expiresAt";
  return { ms: Math.ceil(ms / 1000) * 1000, path: ["expiresAt"], what };
}

function checkBreakGlass(policy: PolicyFile, span: Span, report: Report): void {
  if (!policy.breakGlass) {
    report(
      "error",
      "break-glass-not-allowed",
      ["breakGlass"],
      "breakGlass: true, but the policy has no breakGlass section",
    );
    return;
  }
  const capMs = parseDuration(policy.breakGlass.maxDuration);
  if (capMs !== null && span.ms > capMs) {
    report(
      "error",
      "break-glass-over-cap",
      span.path,
      `break-glass ${span.what} ${formatDuration(span.ms)} exceeds the policy's breakGlass maximum of ${formatDuration(capMs)}`,
    );
  }
}

function toGrant(input: GrantCheckInput, organization: string, times: Times | null): Grant {
  const { data } = input;
  const instant = (text: string | undefined): string | null => {
    const ms = text === undefined ? NaN : Date.parse(text);
    return Number.isFinite(ms) && times ? toInstant(ms) : null;
  };
  return {
    id: input.id,
    file: input.file,
    users: (data.users ?? []).map(copyRef),
    groups: (data.groups ?? []).map(copyRef),
    resources: data.resources.map((resource) =>
      typeof resource === "string" ? resource : { id: resource.id },
    ),
    organization,
    reason: data.reason ?? null,
    durationMs: times?.durationMs ?? null,
    expiresAt: instant(data.expiresAt),
    startsAt: instant(data.startsAt),
    ticket: data.ticket ?? null,
    breakGlass: data.breakGlass === true,
    positions: {
      users: (data.users ?? []).map((_, index) => toPosition(input.locate(["users", index]))),
      groups: (data.groups ?? []).map((_, index) => toPosition(input.locate(["groups", index]))),
      resources: data.resources.map((_, index) => toPosition(input.locate(["resources", index]))),
    },
  };
}

function copyRef(ref: UserRef | GroupRef): UserRef {
  return typeof ref === "string" ? ref : { id: ref.id };
}
