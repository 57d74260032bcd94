import type { Problem } from "../core/model/types.js";
import { formatProblem } from "./format-problem.js";

/** One line per problem (path:line:col: severity: message [code]), then a summary line. */
export function formatText(problems: Problem[], filesChecked: number): string {
  const lines = problems.map(formatProblem);
  const errors = problems.filter((p) => p.severity === "error").length;
  const warnings = problems.length - errors;
  const summary = `${plural(filesChecked, "file")} checked: ${plural(errors, "error")}, ${plural(warnings, "warning")}`;
  return [...lines, summary].join("\n") + "\n";
}

/** {"errors":[{file,line,column,code,message}],"warnings":[...]} */
export function formatJson(problems: Problem[]): string {
  const entry = (p: Problem): Record<string, string | number> => ({
    file: p.file,
    line: p.line,
    column: p.column,
    code: p.code,
    message: p.message,
  });
  const errors = problems.filter((p) => p.severity === "error").map(entry);
  const warnings = problems.filter((p) => p.severity === "warning").map(entry);
  return `${JSON.stringify({ errors, warnings }, null, 2)}\n`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
