import type { Grant, PolicyFile, Problem } from "../core/model/types.js";
import { candidateProblems } from "./candidate-problems.js";
import { checkGrantNames, type NameCheck } from "./check-grant-names.js";
import type { CliContext } from "./cli-context.js";
import { formatText } from "./format-problems.js";

/** A grant file that may be written: valid, its names found in Secure Access (or not checked). */
export interface CheckedCandidate {
  grant: Grant;
  policy: PolicyFile;
  /** Its warnings. */
  problems: Problem[];
  names: NameCheck;
}

/**
 * Validates the grant file as it would be written, then looks its names up in Secure Access (checkGrantNames).
 * Prints every problem and returns null when the file must not be written ("refusing to <verb> <file>").
 */
export async function checkCandidate(
  ctx: CliContext,
  files: Map<string, Uint8Array>,
  change: { file: string; text: string; verb: string },
  options: { now: Date; policyPath: string; checkNames: boolean },
): Promise<CheckedCandidate | null> {
  const { file, text, verb } = change;
  const candidate = candidateProblems(files, file, text, options);
  const refuse = (problems: Problem[]): null => {
    ctx.stderr(`grantops: refusing to ${verb} ${file}:\n${formatText(problems, 1)}`);
    return null;
  };
  if (candidate.grant === null || candidate.policy === null) return refuse(candidate.problems);
  const names = await checkGrantNames(ctx, candidate.grant, candidate.policy, {
    skip: !options.checkNames,
  }).catch((error: unknown) => {
    ctx.stderr(
      `grantops: could not look the names of ${file} up in Secure Access (nothing was written; ` +
        "--no-check-names skips the check):\n",
    );
    throw error;
  });
  if (names.checked && names.problems.length > 0) return refuse([...candidate.problems, ...names.problems]);
  return { grant: candidate.grant, policy: candidate.policy, problems: candidate.problems, names };
}

/** One line on the names: found in Secure Access, or why they were not checked. */
export function namesLine(names: NameCheck): string {
  return names.checked
    ? `names checked in Secure Access (organization "${names.organization}"): all ${names.names} found`
    : `names not checked in Secure Access: ${names.why}; plan checks them after review`;
}

export const checkNamesOption = [
  "--no-check-names",
  "do not look the users and resources up in Secure Access (done when its credentials are configured)",
] as const;
