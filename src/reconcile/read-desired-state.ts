import { openRepository } from "../git/open-repository.js";
import { readFilesAtCommit } from "../git/read-files-at-commit.js";
import { landingTimes } from "../git/landing-times.js";
import { blobShas } from "../git/blob-shas.js";
import { validateRepository } from "../grants/validate-repository.js";
import { InvalidInputError } from "../core/model/grantops-error.js";
import type { GrantVersion, PolicyFile, Problem } from "../core/model/types.js";

export interface DesiredState {
  dir: string;
  branch: string;
  commit: string;
  policy: PolicyFile;
  versions: GrantVersion[];
  /** Problems of the files (errors and warnings), for reports. */
  problems: Problem[];
  /** Grant ids whose files have errors: their rules are held until the expiry in their marker. */
  invalidGrantIds: string[];
  /** The bytes of every file read at the commit, by path (to position later problems in them). */
  files: ReadonlyMap<string, Uint8Array>;
}

export interface ReadDesiredOptions {
  repo: string;
  ref?: string;
  cacheDir: string;
  policyPath: string;
  now: Date;
}

/**
 * Step 1 of the reconcile loop: the grant files at a commit of the default branch, validated, with their
 * landing times (approvals are verified per organization, once resources are resolved). Any failure to read throws (the run aborts); a per-file error only holds that
 * file. An invalid policy aborts: nothing can be planned without it.
 */
export async function readDesiredState(options: ReadDesiredOptions): Promise<DesiredState> {
  const { dir, branch, commit } = await openRepository({
    repo: options.repo,
    cacheDir: options.cacheDir,
    ...(options.ref === undefined ? {} : { ref: options.ref }),
  });
  const files = await readFilesAtCommit(
    dir,
    commit,
    (path) => path.startsWith("grants/") || path === options.policyPath,
  );
  const validated = validateRepository(files, { now: options.now, policyPath: options.policyPath });
  if (validated.policy === null) {
    const policyProblems = validated.problems.filter(
      (p) => p.file === options.policyPath && p.severity === "error",
    );
    const details = policyProblems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join("; ");
    throw new InvalidInputError(
      "POLICY_INVALID",
      `the policy at ${commit.slice(0, 12)} is invalid: ${details}`,
    );
  }
  const grantFiles = validated.grants.map((grant) => grant.file);
  const landed = await landingTimes(dir, commit, grantFiles);
  const blobs = await blobShas(dir, commit, grantFiles);
  const versions: GrantVersion[] = [];
  for (const grant of validated.grants) {
    const landing = landed.get(grant.file);
    if (!landing)
      throw new InvalidInputError("GIT_NO_LANDING", `no commit on ${branch} changed ${grant.file}`);
    versions.push({
      grant,
      commit: landing.commit,
      landedAt: landing.landedAt,
      blob: blobs.get(grant.file) ?? "",
    });
  }
  return {
    dir,
    branch,
    commit,
    policy: validated.policy,
    versions,
    problems: validated.problems,
    invalidGrantIds: validated.invalidGrantIds,
    files,
  };
}
