import type { Grant, PolicyFile, Problem } from "../core/model/types.js";
import { validateRepository } from "../grants/validate-repository.js";

/** A grant file as it would be written: its problems, and the grant and policy when it has no errors. */
export interface Candidate {
  problems: Problem[];
  /** The validated grant; null when the file has errors. */
  grant: Grant | null;
  policy: PolicyFile | null;
}

/**
 * The problems of a grant file as it would be written (`text` at `file`, with every other file of the repository
 * as it is): the file's own problems and the policy's errors. Validated as a changed file (an expired grant is an
 * error, as in a pull request). `files` gets the new text at `file` (it keeps what the reader knows of the others).
 */
export function candidateProblems(
  files: Map<string, Uint8Array>,
  file: string,
  text: string,
  options: { now: Date; policyPath: string },
): Candidate {
  files.set(file, new TextEncoder().encode(text));
  const result = validateRepository(files, { ...options, changedFiles: new Set([file]) });
  const problems = result.problems.filter(
    (p) => p.file === file || (p.file === options.policyPath && p.severity === "error"),
  );
  const grant = problems.some((p) => p.severity === "error")
    ? null
    : (result.grants.find((g) => g.file === file) ?? null);
  return { problems, grant, policy: result.policy };
}
