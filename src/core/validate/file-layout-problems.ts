// Files that cannot be grants, found before any is parsed: paths that are not regular files (symbolic links: their
// target is never read, so nothing outside the repository can leak into a message) and files under grants/ that are
// not grant files (wrong extension, stray files). grants/expired/ holds retired grants and is never looked at.
import type { Problem } from "../model/types.js";
import { inertTerminal } from "../report/inert-terminal.js";
import { grantIdFromPath } from "./check-grant-id.js";

export interface FileLayout {
  problems: Problem[];
  /** Paths named like grant files that are not regular files: their grants are invalid (their rules held). */
  invalidGrantFiles: string[];
}

/** Problems of the repository's file layout, at each offending path (escaped in the message). */
export function fileLayoutProblems(
  paths: readonly string[],
  irregular: ReadonlyMap<string, string>,
  policyPath: string,
): FileLayout {
  const problems: Problem[] = [];
  const invalidGrantFiles: string[] = [];
  for (const [file, what] of [...irregular].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (file !== policyPath && !inGrants(file)) continue;
    if (grantIdFromPath(file) !== null) invalidGrantFiles.push(file);
    const role = file === policyPath ? "the policy" : "files under grants/";
    problems.push(
      at(
        file,
        "error",
        "not-regular-file",
        `${show(file)} is ${what}; ${role} must be regular files (it was not read)`,
      ),
    );
  }
  for (const file of paths) {
    if (!inGrants(file) || grantIdFromPath(file) !== null) continue;
    problems.push(
      at(
        file,
        "warning",
        "not-a-grant-file",
        `${show(file)} is not a grant file (grant files end in .yaml or .yml); it is not reconciled`,
      ),
    );
  }
  return { problems, invalidGrantFiles };
}

function inGrants(file: string): boolean {
  return (file === "grants" || file.startsWith("grants/")) && !file.startsWith("grants/expired/");
}

function show(file: string): string {
  return inertTerminal(file);
}

function at(file: string, severity: Problem["severity"], code: string, message: string): Problem {
  return { severity, code, file, line: 1, column: 1, message };
}
