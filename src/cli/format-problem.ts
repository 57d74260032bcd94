import type { Problem } from "../core/model/types.js";

/** `grants/team/file.yaml:LINE:COL: error|warning: message [code]` — the one problem format of every command. */
export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.severity}: ${problem.message} [${problem.code}]`;
}
