import { parseYamlFile } from "../grants/parse-yaml-file.js";
import type { Problem } from "../core/model/types.js";
import type { ResolveProblem } from "./resolve-desired.js";

/**
 * Resolution problems as file problems, positioned at the list item they name (`users[1]`). Only the files
 * with such problems are parsed again, from the bytes read at the commit; without a path or the bytes, 1:1.
 */
export function locateResolveProblems(
  problems: readonly ResolveProblem[],
  files: ReadonlyMap<string, Uint8Array>,
): Problem[] {
  const parsed = new Map<string, ReturnType<typeof parseYamlFile>>();
  const locate = (problem: ResolveProblem): { line: number; column: number } => {
    const bytes = files.get(problem.file);
    if (problem.path === undefined || bytes === undefined) return { line: 1, column: 1 };
    let file = parsed.get(problem.file);
    if (file === undefined) {
      file = parseYamlFile(problem.file, bytes);
      parsed.set(problem.file, file);
    }
    return file.locate(problem.path);
  };
  return problems.map((problem) => ({
    severity: "error",
    code: problem.code,
    file: problem.file,
    ...locate(problem),
    message: problem.message,
  }));
}
