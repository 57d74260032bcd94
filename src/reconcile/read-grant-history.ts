// Git is the authority, the marker only a hint: what the default branch's first-parent history shows for the
// grants of held or unexplained-looking rules. Read only for those grants (bounded), never the working tree.
import { catObjects } from "../git/cat-objects.js";
import { createGit } from "../git/git-env.js";
import { runGit } from "../git/git-error.js";
import { instantFromSeconds } from "../git/landing-times.js";
import { validateRepository } from "../grants/validate-repository.js";
import { desiredRule } from "../core/rule/desired-rule.js";
import { versionRefusal } from "../core/validate/policy-refusal.js";
import { grantWindow } from "../core/time/grant-window.js";
import { verifyVersions } from "./verify-versions.js";
import { resolveVersions } from "./resolve-versions.js";
import { desiredGrants } from "./desired-grants.js";
import type { SecureAccessApi } from "../core/model/secure-access-types.js";
import type {
  ApprovalVerifier,
  GrantHistory,
  GrantVersion,
  HistoryVersion,
  PlanOptions,
  PolicyFile,
} from "../core/model/types.js";

/** Most commits read per grant file (newest first): older versions expired long ago. */
export const MAX_HISTORY_VERSIONS = 50;

export interface GrantHistoryInput {
  dir: string;
  /** The default branch commit the run reads. */
  commit: string;
  policyPath: string;
  /** The policy as it stands now (versions are validated and refused against it). */
  policy: PolicyFile;
  organization: string;
  api: SecureAccessApi;
  verifier: ApprovalVerifier;
  options: PlanOptions;
  now: Date;
}

/**
 * For each grant id: whether its file ever existed on the default branch, and each version that was valid under
 * the policy as it stands now and not rejected (approved, or unverifiable for lack of credentials as for current
 * versions), with the expiry it really had (from its landing time) and the sha of the rule it implied.
 */
export async function readGrantHistory(
  grantIds: readonly string[],
  input: GrantHistoryInput,
): Promise<GrantHistory[]> {
  const out: GrantHistory[] = [];
  const grants = [...new Set(grantIds)]
    .sort()
    .filter((grant) => !grant.endsWith("~") && /^[a-z0-9._/-]+$/.test(grant)); // paths grantops could have read
  if (grants.length === 0) return out;
  const [policy] = await catObjects(input.dir, [`${input.commit}:${input.policyPath}`]);
  const policyBytes = policy?.type === "blob" ? policy.bytes : new Uint8Array();
  for (const grant of grants) out.push(await historyOf(grant, input, policyBytes));
  return out;
}

async function historyOf(
  grant: string,
  input: GrantHistoryInput,
  policyBytes: Uint8Array,
): Promise<GrantHistory> {
  const paths = [`grants/${grant}.yaml`, `grants/${grant}.yml`];
  const commits = await fileCommits(input.dir, input.commit, paths);
  const versions: HistoryVersion[] = [];
  const objects = await catObjects(
    input.dir,
    commits.flatMap((c) => paths.map((path) => `${c.commit}:${path}`)),
  );
  for (const [index, landing] of commits.entries()) {
    for (const [p, path] of paths.entries()) {
      const object = objects[index * paths.length + p];
      if (object?.type !== "blob") continue;
      const version = await versionAt(path, object.bytes, landing, input, policyBytes);
      if (version !== null) versions.push(version);
    }
  }
  return { grant, known: commits.length > 0, versions };
}

async function fileCommits(
  dir: string,
  commit: string,
  paths: string[],
): Promise<Array<{ commit: string; landedAt: string }>> {
  const output = await runGit(`git log ${commit}`, () =>
    createGit(dir).raw([
      "log",
      "--first-parent",
      `--max-count=${MAX_HISTORY_VERSIONS}`,
      "--format=%H %ct",
      commit,
      "--",
      ...paths,
    ]),
  );
  return output
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [sha = "", seconds = "0"] = line.trim().split(" ");
      return { commit: sha, landedAt: instantFromSeconds(Number(seconds)) };
    });
}

async function versionAt(
  path: string,
  bytes: Uint8Array,
  landing: { commit: string; landedAt: string },
  input: GrantHistoryInput,
  policyBytes: Uint8Array,
): Promise<HistoryVersion | null> {
  const files = new Map([
    [input.policyPath, policyBytes],
    [path, bytes],
  ]);
  const [grant] = validateRepository(files, { now: input.now, policyPath: input.policyPath }).grants;
  if (grant === undefined || grant.organization !== input.organization) return null;
  const version: GrantVersion = { grant, commit: landing.commit, landedAt: landing.landedAt, blob: "" };
  const [verified] = await verifyVersions(
    await resolveVersions([version], input.api),
    input.policy,
    input.verifier,
  );
  if (verified === undefined) return null;
  const refusedNow = versionRefusal(input.policy, verified.version);
  if (refusedNow === null && verified.approval.status === "rejected") return null;
  const exp = grantWindow(grant, landing.landedAt).expiresAt;
  const [desired] = desiredGrants([verified], grantWindow);
  const sha = desired === undefined ? null : desiredRule(desired, input.options).sha;
  return { commit: landing.commit, exp, sha, refusedNow };
}
