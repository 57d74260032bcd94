import path from "node:path";
import { ExitCode } from "../core/exit-codes.js";
import { InvalidInputError } from "../core/grantops-error.js";
import type { Problem } from "../core/types.js";
import { changedFilesSince } from "../git/changed-files.js";
import { readDirectoryFiles } from "../grants/read-directory-files.js";
import { validateRepository, DEFAULT_POLICY_PATH } from "../grants/validate-repository.js";
import type { CliContext } from "./cli-context.js";
import type { CommandRegistrar } from "./program.js";
import { runAction } from "./run-action.js";
import { formatProblem } from "./format-problem.js";

interface ValidateOptions {
  repo?: string;
  format: string;
  changedSince?: string;
  policy?: string;
}

export const registerValidateCommand: CommandRegistrar = (program, ctx, box) => {
  program
    .command("validate")
    .summary("validate policy.yaml and every grant file, reporting all problems")
    .description(
      "Validate policy.yaml and every grant file (grants/**/*.yaml, not grants/expired/); report all problems.\n" +
        "Exit 0 when there are no errors (warnings allowed), 4 when there are.",
    )
    .option("--repo <dir>", "grants repository directory (default: the current directory)")
    .option("--format <format>", "output format: text or json", "text")
    .option("--changed-since <ref>", "git revision: expired grants among files changed since it are errors")
    .option("--policy <path>", `policy file, relative to the repository (default: ${DEFAULT_POLICY_PATH})`)
    .action(runAction(ctx, box, (opts: ValidateOptions) => validateAction(ctx, opts)));
};

async function validateAction(ctx: CliContext, opts: ValidateOptions): Promise<number> {
  if (opts.format !== "text" && opts.format !== "json") {
    throw new InvalidInputError("bad-format", `--format ${opts.format}: use text or json`);
  }
  const repo = path.resolve(ctx.cwd, opts.repo ?? ".");
  const policyPath = policyPathIn(repo, ctx.cwd, opts.policy);
  const files = await readDirectoryFiles(repo, { policyPath });
  const changedFiles = opts.changedSince
    ? await changedFilesSince(repo, opts.changedSince, ctx.env)
    : undefined;
  const result = validateRepository(files, {
    now: ctx.clock(),
    policyPath,
    ...(changedFiles ? { changedFiles } : {}),
  });
  const checked = [...files.keys()].length + (files.has(policyPath) ? 0 : 1);
  ctx.stdout(opts.format === "json" ? formatJson(result.problems) : formatText(result.problems, checked));
  return result.problems.some((p) => p.severity === "error") ? ExitCode.invalid : ExitCode.ok;
}

/** --policy is given relative to the current directory; the repository map keys it relative to the repository. */
export function policyPathIn(repo: string, cwd: string, policy: string | undefined): string {
  if (policy === undefined) return DEFAULT_POLICY_PATH;
  return path.relative(repo, path.resolve(cwd, policy)).split(path.sep).join("/");
}

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
