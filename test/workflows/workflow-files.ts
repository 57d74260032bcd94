import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "../..");

/** Workflow folders checked by the tests: this repository's (the dogfood) and the template grants repository's. */
export const WORKFLOW_DIRS = [".github/workflows", "examples/grants-repo/.github/workflows"];

/** Every workflow file, as a repository path, with its text. */
export function workflowFiles(): Array<{ path: string; text: string }> {
  return WORKFLOW_DIRS.flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((file) => /\.ya?ml$/.test(file))
      .sort()
      .map((file) => ({ path: `${dir}/${file}`, text: readFileSync(join(root, dir, file), "utf8") })),
  );
}

export function readRepositoryFile(path: string): string {
  return readFileSync(join(root, path), "utf8");
}
