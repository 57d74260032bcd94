import type { Problem } from "../core/model/types.js";
import { inertTerminal } from "../core/report/inert-terminal.js";

/**
 * `grants/team/file.yaml:LINE:COL: error|warning: message [code]` — the one problem format of every command, one
 * line whatever the file name or message hold (controls, ANSI escapes and bidi characters are shown escaped).
 */
export function formatProblem(problem: Problem): string {
  const file = inertTerminal(problem.file);
  return `${file}:${problem.line}:${problem.column}: ${problem.severity}: ${inertTerminal(problem.message)} [${inertTerminal(problem.code)}]`;
}
