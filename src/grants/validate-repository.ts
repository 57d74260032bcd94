import { compareText } from "../core/model/compare-text.js";
import { detachedText } from "../core/model/detached-text.js";
import { createValuePool, type ValuePool } from "../core/model/value-pool.js";
import { POLICY_REFUSAL_CODES } from "../core/validate/policy-refusal.js";
import { checkDuplicateGrants } from "../core/validate/check-duplicate-grants.js";
import { checkGrantId, grantIdFromPath } from "../core/validate/check-grant-id.js";
import { validateGrant } from "../core/validate/validate-grant.js";
import { validatePolicy } from "../core/validate/validate-policy.js";
import type { Grant, GrantFile, PolicyFile, Problem, SourcePosition } from "../core/model/types.js";
import { parseYamlFile, type YamlParser } from "./parse-yaml-file.js";
import { schemaProblems } from "./schema-problems.js";
import { schemaValidators } from "./schema-validators.js";
import { salvageGrantData } from "./salvage-grant-data.js";
import { irregularPaths } from "../core/model/repository-files.js";
import { fileLayoutProblems } from "../core/validate/file-layout-problems.js";

export interface ValidatedRepository {
  /** The policy, or null when it is missing or has errors. */
  policy: PolicyFile | null;
  /** Grant files without errors (warnings allowed, expired ones included), sorted by id. */
  grants: Grant[];
  /** Every problem of every file, sorted by file, line, column. */
  problems: Problem[];
  /** Ids of grant files with at least one error, sorted. */
  invalidGrantIds: string[];
  /**
   * The grants among `changedFiles` whose only error is that they already expired (they are also in
   * invalidGrantIds): an error for the review, but a plan sees them as the expired grants they are.
   */
  expiredChangedGrants: Grant[];
}

export interface ValidateRepositoryOptions {
  now: Date;
  /** Files changed since --changed-since (repository-relative paths): an expired grant among them is an error. */
  changedFiles?: ReadonlySet<string>;
  /** Path of the policy relative to the repository root; default policy.yaml. */
  policyPath?: string;
  /**
   * When each grant file (repository-relative path) landed, for files as committed (validate in a git
   * repository): a `duration` grant past its landing time + duration is then an expired-grant warning too.
   */
  landedAt?: ReadonlyMap<string, string>;
  /** The YAML parser (default parseYamlFile); every file is parsed once. */
  parseYaml?: YamlParser;
}

export const DEFAULT_POLICY_PATH = "policy.yaml";

/**
 * Validates the grants repository held in `files` (repository-relative path → bytes; other files are ignored):
 * policy.yaml and every grants/**\/*.yaml|yml outside grants/expired/. Any other file under grants/ is reported
 * (never silently skipped), and so is a path that is not a regular file (a symbolic link: an error at its path,
 * its grant held as invalid). Synchronous and deterministic.
 */
export function validateRepository(
  files: ReadonlyMap<string, Uint8Array>,
  options: ValidateRepositoryOptions,
): ValidatedRepository {
  const policyPath = options.policyPath ?? DEFAULT_POLICY_PATH;
  const validation = startRepositoryValidation(
    { paths: [...files.keys()], irregular: irregularPaths(files) },
    options,
  );
  const policy = files.get(policyPath);
  if (policy !== undefined) validation.add(policyPath, policy);
  for (const [file, bytes] of files) if (file !== policyPath) validation.add(file, bytes);
  return validation.finish();
}

/** The files of a repository before their bytes are read: the regular files' paths and the irregular ones. */
export interface RepositoryListing {
  paths: readonly string[];
  irregular: ReadonlyMap<string, string>;
}

/** A validation fed one file at a time, so a large repository is never held in memory as text or documents. */
export interface RepositoryValidation {
  /**
   * Validates one file of the listing as it is read: the policy before any grant file (other files are ignored).
   * Only the grant and the problems are kept: the bytes and the parsed document can be dropped at once.
   */
  add(file: string, bytes: Uint8Array): void;
  /** The result once every file was added (a listed grant file never added is validated as empty). */
  finish(): ValidatedRepository;
  /** The valid policy once its file was added (before the grant files), else null. */
  policy(): PolicyFile | null;
}

/** Starts validating the repository of `listing` (see validateRepository for what is checked). */
export function startRepositoryValidation(
  listing: RepositoryListing,
  options: ValidateRepositoryOptions,
): RepositoryValidation {
  const policyPath = options.policyPath ?? DEFAULT_POLICY_PATH;
  const parse = options.parseYaml ?? parseYamlFile;
  const policyListed = listing.paths.includes(policyPath) && !listing.irregular.has(policyPath);
  let loaded: { policy: PolicyFile | null; problems: Problem[] } | null = listing.irregular.has(policyPath)
    ? { policy: null, problems: [] }
    : null;
  const grantPaths = listing.paths.filter((file) => grantIdFromPath(file) !== null).sort(compareText);
  const pending = new Set(grantPaths);
  const layout = fileLayoutProblems(listing.paths, listing.irregular, policyPath);
  const problems: Problem[] = [...layout.problems];
  const invalid = new Set(layout.invalidGrantFiles.map((file) => grantIdFromPath(file) ?? file));
  const valid: Grant[] = [];
  const pool = createValuePool(detachedText);
  const expiredChanged: Grant[] = [];
  const policyOrMissing = (): { policy: PolicyFile | null; problems: Problem[] } => {
    if (loaded !== null) return loaded;
    if (policyListed) throw new Error(`validation: add ${policyPath} before the grant files`);
    loaded = loadPolicy(policyPath, undefined, parse);
    return loaded;
  };
  const loadOptions = { ...options, parse };
  const addGrant = (file: string, bytes: Uint8Array): void => {
    pending.delete(file);
    const id = grantIdFromPath(file) ?? "";
    const result = loadGrant(file, id, bytes, policyOrMissing().policy, loadOptions);
    problems.push(...result.problems);
    // A well-formed grant that only the policy forbids (denied resource, over a cap) stays a grant: the
    // reconciler rejects it and removes its rule now. Any other error makes the file invalid (its rule is held).
    const errors = result.problems.filter((p) => p.severity === "error" && !POLICY_REFUSAL_CODES.has(p.code));
    if (result.grant && errors.length > 0 && errors.every((p) => p.code === "grant-expired")) {
      expiredChanged.push(result.grant);
    }
    if (!result.grant || errors.length > 0) invalid.add(id);
    else valid.push(detachedGrant(result.grant, pool));
  };
  return {
    add(file, bytes) {
      if (file === policyPath && loaded === null && policyListed) loaded = loadPolicy(file, bytes, parse);
      else if (pending.has(file)) addGrant(file, bytes);
    },
    finish() {
      for (const file of [...pending]) addGrant(file, new Uint8Array());
      return finishValidation(
        policyOrMissing(),
        grantPaths,
        { problems, invalid, valid, expiredChanged },
        options.now,
      );
    },
    policy: () => loaded?.policy ?? null,
  };
}

/**
 * The grant with its own copy of every text taken from the file (else each grant keeps its whole source); names,
 * the alias and the layout of source positions are shared with the other grants of the run through `pool`.
 */
function detachedGrant(grant: Grant, pool: ValuePool): Grant {
  const ref = <T>(item: string | T): string | T => (typeof item === "string" ? pool.text(item) : item);
  // Fields named, not `...grant`: a spread clone costs several times more, for each of thousands of grants.
  return {
    id: grant.id,
    file: grant.file,
    users: sharedEmpty(grant.users.map(ref), pool),
    groups: sharedEmpty(grant.groups.map(ref), pool),
    resources: grant.resources.map(ref),
    organization: pool.text(grant.organization),
    reason: grant.reason === null ? null : detachedText(grant.reason),
    durationMs: grant.durationMs,
    expiresAt: grant.expiresAt,
    startsAt: grant.startsAt,
    ticket: grant.ticket === null ? null : detachedText(grant.ticket),
    breakGlass: grant.breakGlass,
    positions: sharedPositions(grant.positions, pool),
  };
}

/** The run's one (frozen) empty list for an empty one: most grants name no groups, or no users. */
function sharedEmpty<T>(items: T[], pool: ValuePool): T[] {
  return items.length === 0 ? pool.shared("[]", () => [] as T[]) : items;
}

/** Grants written from one template have the same positions: one frozen copy per layout. */
function sharedPositions(positions: Grant["positions"], pool: ValuePool): Grant["positions"] {
  const text = (list: SourcePosition[]): string => list.map((at) => `${at.line}:${at.column}`).join(",");
  const key = `positions ${text(positions.users)};${text(positions.groups)};${text(positions.resources)}`;
  const copy = (list: SourcePosition[]): SourcePosition[] =>
    list.map(({ line, column }) => ({ line, column }));
  return pool.shared(key, () => ({
    users: copy(positions.users),
    groups: copy(positions.groups),
    resources: copy(positions.resources),
  }));
}

function finishValidation(
  loaded: { policy: PolicyFile | null; problems: Problem[] },
  grantPaths: string[],
  found: { problems: Problem[]; invalid: Set<string>; valid: Grant[]; expiredChanged: Grant[] },
  now: Date,
): ValidatedRepository {
  const { invalid } = found;
  const problems = [...loaded.problems, ...found.problems];
  const clashes = duplicateIds(grantPaths, invalid);
  problems.push(...clashes);
  const clashing = new Set(clashes.map((problem) => grantIdFromPath(problem.file)));
  const valid = found.valid
    .filter((grant) => !invalid.has(grant.id))
    .sort((a, b) => compareText(a.file, b.file));
  problems.push(...checkDuplicateGrants(valid.filter((grant) => !isOver(grant, now))));
  return {
    policy: loaded.policy,
    grants: valid.sort((a, b) => compareText(a.id, b.id)),
    problems: problems.sort(byPosition),
    invalidGrantIds: [...invalid].sort(compareText),
    expiredChangedGrants: found.expiredChanged
      .filter((grant) => !clashing.has(grant.id))
      .sort((a, b) => compareText(a.id, b.id)),
  };
}

function loadPolicy(
  file: string,
  bytes: Uint8Array | undefined,
  parse: YamlParser,
): { policy: PolicyFile | null; problems: Problem[] } {
  if (!bytes) {
    const message = `policy file ${file} is missing: every grants repository needs one at its root`;
    return {
      policy: null,
      problems: [{ severity: "error", code: "policy-missing", file, line: 1, column: 1, message }],
    };
  }
  const parsed = parse(file, bytes);
  if (!parsed.data) return { policy: null, problems: parsed.problems };
  const validate = schemaValidators().policy;
  if (!validate(parsed.data)) {
    return {
      policy: null,
      problems: schemaProblems(validate.errors ?? [], parsed.data, file, parsed.locate),
    };
  }
  const policy = parsed.data as unknown as PolicyFile;
  const problems = validatePolicy(policy, file, parsed.locate);
  return { policy: problems.some((p) => p.severity === "error") ? null : policy, problems };
}

function loadGrant(
  file: string,
  id: string,
  bytes: Uint8Array,
  policy: PolicyFile | null,
  options: ValidateRepositoryOptions & { parse: YamlParser },
): { grant: Grant | null; problems: Problem[] } {
  const problems: Problem[] = [];
  const idProblem = checkGrantId(id);
  if (idProblem)
    problems.push({ severity: "error", code: "grant-id", file, line: 1, column: 1, message: idProblem });
  const parsed = options.parse(file, bytes);
  problems.push(...parsed.problems);
  if (!parsed.data) return { grant: null, problems };
  const validate = schemaValidators().grant;
  const base = {
    id,
    file,
    locate: parsed.locate,
    policy,
    now: options.now,
    changed: options.changedFiles?.has(file) ?? false,
    landedAt: options.landedAt?.get(file) ?? null,
  };
  if (!validate(parsed.data)) {
    const errors = validate.errors ?? [];
    problems.push(...schemaProblems(errors, parsed.data, file, parsed.locate));
    // Still run the semantic checks on what the schema accepted, so one run reports everything.
    const salvaged = salvageGrantData(parsed.data, errors);
    const more = validateGrant({ ...base, data: salvaged.data, skip: salvaged.skip }).problems;
    problems.push(...more.filter((p) => !isSalvageNoise(p, salvaged.dropped)));
    return { grant: null, problems };
  }
  const checked = validateGrant({ ...base, data: parsed.data as unknown as GrantFile });
  problems.push(...checked.problems);
  return { grant: checked.grant, problems };
}

/** A semantic problem that only exists because the schema check dropped the field it is about. */
function isSalvageNoise(problem: Problem, dropped: ReadonlySet<string>): boolean {
  if (problem.code === "organization-required") return dropped.has("organization");
  if (problem.code === "duration-or-expiry") return dropped.has("duration") || dropped.has("expiresAt");
  return false;
}

/** grants/a/b.yaml and grants/a/b.yml would both be grant a/b: an error on each. */
function duplicateIds(paths: string[], invalid: Set<string>): Problem[] {
  const byId = new Map<string, string[]>();
  for (const file of paths) {
    const id = grantIdFromPath(file) ?? "";
    const files = byId.get(id);
    if (files === undefined) byId.set(id, [file]);
    else files.push(file);
  }
  const problems: Problem[] = [];
  for (const [id, list] of byId) {
    if (list.length < 2) continue;
    invalid.add(id);
    for (const file of list) {
      const others = list.filter((other) => other !== file).join(", ");
      problems.push({
        severity: "error",
        code: "duplicate-grant-id",
        file,
        line: 1,
        column: 1,
        message: `grant id "${id}" is also used by ${others}`,
      });
    }
  }
  return problems;
}

/** True when the grant's expiry is known without git and already passed. */
function isOver(grant: Grant, now: Date): boolean {
  if (grant.expiresAt !== null) return Date.parse(grant.expiresAt) <= now.getTime();
  if (grant.startsAt !== null && grant.durationMs !== null)
    return Date.parse(grant.startsAt) + grant.durationMs <= now.getTime();
  return false;
}

function byPosition(a: Problem, b: Problem): number {
  return (
    compareText(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    compareText(a.code, b.code) ||
    compareText(a.message, b.message)
  );
}
