import { openRepository, type OpenedRepository } from "../git/open-repository.js";
import { eachListedFile, listFilesAtCommit } from "../git/read-files-at-commit.js";
import { landingTimes, type Landing, type LandingCache } from "../git/landing-times.js";
import { blobShas } from "../git/blob-shas.js";
import type { GitFactory } from "../git/git-env.js";
import type { YamlParser } from "../grants/parse-yaml-file.js";
import { startRepositoryValidation } from "../grants/validate-repository.js";
import { InvalidInputError } from "../core/model/grantops-error.js";
import { compareText } from "../core/model/compare-text.js";
import { grantIdFromPath } from "../core/validate/check-grant-id.js";
import type { Grant, GrantVersion, PolicyFile, Problem } from "../core/model/types.js";

/** The grant files at one commit, read and validated once. */
export interface DesiredState extends OpenedRepository {
  /** Path of the policy file in the repository. */
  policyPath: string;
  /** The policy, or null when it is missing or invalid (nothing can then be planned: see landedVersions). */
  policy: PolicyFile | null;
  /** Grant files without errors, sorted by id. */
  grants: Grant[];
  /** Problems of the files (errors and warnings), with file:line:column, sorted. */
  problems: Problem[];
  /** Grant ids whose files have errors: their rules are held until the expiry in their marker. */
  invalidGrantIds: string[];
  /** The blob of each file read, from the listing (absent: landedVersions asks git). */
  blobs?: ReadonlyMap<string, string>;
  /** The landings of every grant file, walked while the files were read (see ReadDesiredOptions.landings). */
  landings?: Promise<ReadonlyMap<string, Landing>>;
}

export interface ReadDesiredOptions {
  policyPath: string;
  now: Date;
  /** Files a pull request changes: an expired grant among them is an error (see validateRepository). */
  changedFiles?: ReadonlySet<string>;
  /** The YAML parser (default parseYamlFile). */
  parseYaml?: YamlParser;
  git?: GitFactory;
  /** Read only these grant files (a push reads the files it changed); default every file under grants/. */
  grantPaths?: ReadonlySet<string>;
  /**
   * Called once the policy is read and valid, before the grant files are: a run starts listing each
   * organization's rules then, so the vendor's answers arrive while the grants are validated.
   */
  onPolicy?: (policy: PolicyFile) => void;
  /**
   * Walk the landing commits of every grant file (with this cache, if any) while the files are read and validated,
   * instead of after (landedVersions then waits for that walk). Not for a push, whose landings are known.
   */
  landings?: { cache?: LandingCache };
}

export interface OpenDesiredOptions extends ReadDesiredOptions {
  repo: string;
  ref?: string;
  cacheDir: string;
}

/**
 * The read stage of a run: opens the repository (a URL is fetched) at the commit to read, then reads and
 * validates the grant files there (see readDesiredAt). Any failure to read throws (the run aborts).
 */
export async function readDesiredState(options: OpenDesiredOptions): Promise<DesiredState> {
  const repository = await openRepository({
    repo: options.repo,
    cacheDir: options.cacheDir,
    ...(options.ref === undefined ? {} : { ref: options.ref }),
    ...(options.git === undefined ? {} : { git: options.git }),
  });
  return readDesiredAt(repository, options);
}

/**
 * The grant files and the policy at a commit of an opened repository, each parsed and validated once, as git
 * streams them (the policy first): only the grants and the problems are kept, never the files' text or documents.
 * A per-file error only holds that file; an invalid policy is returned as problems (landedVersions refuses it).
 */
export async function readDesiredAt(
  repository: OpenedRepository,
  options: ReadDesiredOptions,
): Promise<DesiredState> {
  const listing = await listFilesAtCommit(
    repository.dir,
    repository.commit,
    (path) =>
      path === options.policyPath ||
      (options.grantPaths === undefined ? path.startsWith("grants/") : options.grantPaths.has(path)),
    options.git,
    options.grantPaths === undefined ? undefined : [options.policyPath, ...options.grantPaths],
  );
  const validation = startRepositoryValidation(listing, {
    now: options.now,
    policyPath: options.policyPath,
    ...(options.changedFiles === undefined ? {} : { changedFiles: options.changedFiles }),
    ...(options.parseYaml === undefined ? {} : { parseYaml: options.parseYaml }),
  });
  const reading = eachListedFile(
    repository.dir,
    listing,
    (path, bytes) => {
      validation.add(path, bytes);
      const policy = path === options.policyPath ? validation.policy() : null;
      if (policy !== null) options.onPolicy?.(policy);
    },
    { first: options.policyPath },
  );
  // Started once git was asked for the files (each git start holds the main thread ~10 ms: the files come first).
  const landings = startLandings(repository, listing.paths, options);
  await reading;
  const validated = validation.finish();
  // A changed grant that already expired is an error for the review, yet planned as the expired grant it is.
  const kept = new Set(validated.expiredChangedGrants.map((grant) => grant.id));
  return {
    ...repository,
    policyPath: options.policyPath,
    policy: validated.policy,
    grants: [...validated.grants, ...validated.expiredChangedGrants].sort((a, b) => compareText(a.id, b.id)),
    problems: validated.problems,
    invalidGrantIds: validated.invalidGrantIds.filter((id) => !kept.has(id)),
    blobs: new Map(listing.entries.map((entry) => [entry.path, entry.sha])),
    ...(landings === undefined ? {} : { landings }),
  };
}

/** The landing walk of every listed grant file, started now when the options ask for it (never an unhandled rejection). */
function startLandings(
  repository: OpenedRepository,
  paths: readonly string[],
  options: ReadDesiredOptions,
): Promise<ReadonlyMap<string, Landing>> | undefined {
  if (options.landings === undefined) return undefined;
  const { cache } = options.landings;
  const walk = landingTimes(
    repository.dir,
    repository.commit,
    paths.filter((path) => grantIdFromPath(path) !== null),
    options.git,
    cache === undefined ? {} : { cache, branch: repository.branch },
  );
  walk.catch(() => undefined); // awaited by landedVersions; a run that fails earlier never reads it
  return walk;
}

/**
 * The valid grants as versions on the branch: the commit that last changed each file, its time and the blob.
 * An invalid policy throws: nothing can be planned without it. `known`: landings already read (e.g. from a push's
 * range); else, with the landing cache of the state directory, only the commits since the last read of the
 * branch are walked.
 */
export async function landedVersions(
  state: DesiredState,
  git?: GitFactory,
  sources: { known?: ReadonlyMap<string, Landing>; landingCache?: LandingCache } = {},
): Promise<{ policy: PolicyFile; versions: GrantVersion[] }> {
  if (state.policy === null) throw policyInvalid(state);
  const grantFiles = state.grants.map((grant) => grant.file);
  const { known, landingCache } = sources;
  const landed =
    known ??
    (await state.landings) ??
    (await landingTimes(
      state.dir,
      state.commit,
      grantFiles,
      git,
      landingCache === undefined ? {} : { cache: landingCache, branch: state.branch },
    ));
  const blobs = state.blobs ?? (await blobShas(state.dir, state.commit, grantFiles, git));
  const versions = state.grants.map((grant): GrantVersion => {
    const landing = landed.get(grant.file);
    if (!landing) {
      throw new InvalidInputError("GIT_NO_LANDING", `no commit on ${state.branch} changed ${grant.file}`);
    }
    return { grant, commit: landing.commit, landedAt: landing.landedAt, blob: blobs.get(grant.file) ?? "" };
  });
  return { policy: state.policy, versions };
}

function policyInvalid(state: DesiredState): InvalidInputError {
  const policyProblems = state.problems.filter((p) => p.file === state.policyPath && p.severity === "error");
  const details = policyProblems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join("; ");
  return new InvalidInputError(
    "POLICY_INVALID",
    `the policy at ${state.commit.slice(0, 12)} is invalid: ${details}`,
  );
}
