// The policy (for its organizations) at the commit the audit reads: `audit --live` lists the rules of every
// organization it names.
import { InvalidInputError } from "../core/model/grantops-error.js";
import { validateRepository } from "../grants/validate-repository.js";
import { catObjects } from "../git/cat-objects.js";
import type { PolicyFile } from "../core/model/types.js";

export async function readAuditPolicy(
  dir: string,
  commit: string,
  policyPath: string,
  now: Date,
): Promise<PolicyFile> {
  const [object] = await catObjects(dir, [`${commit}:${policyPath}`]);
  if (object === null || object === undefined || object.type !== "blob") {
    throw new InvalidInputError("POLICY_MISSING", `no ${policyPath} at ${commit.slice(0, 12)}`);
  }
  const validated = validateRepository(new Map([[policyPath, new Uint8Array(object.bytes)]]), {
    now,
    policyPath,
  });
  if (validated.policy !== null) return validated.policy;
  const details = validated.problems
    .filter((problem) => problem.severity === "error")
    .map((problem) => `${problem.file}:${problem.line}:${problem.column}: ${problem.message}`)
    .join("; ");
  throw new InvalidInputError(
    "POLICY_INVALID",
    `the policy at ${commit.slice(0, 12)} is invalid: ${details}`,
  );
}
