import path from "node:path";
import { ExitCode } from "../../core/model/exit-codes.js";
import { InvalidInputError } from "../../core/model/grantops-error.js";
import { changedFilesSince } from "../../git/changed-files.js";
import { committedLandings } from "../../git/committed-landings.js";
import { readDirectoryFiles } from "../../grants/read-directory-files.js";
import { validateRepository, DEFAULT_POLICY_PATH } from "../../grants/validate-repository.js";
import type { CliContext } from "../cli-context.js";
import type { CommandRegistrar } from "../program.js";
import { runAction } from "../run-action.js";
import { formatJson, formatText } from "../format-problems.js";
import { policyPathIn } from "../policy-path-in.js";

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
        "In a git repository, a committed duration grant counts from its landing time (expired ones are warned).\n" +
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
  const grantFiles = [...files.keys()].filter((file) => file.startsWith("grants/"));
  const landedAt = await committedLandings(repo, grantFiles, ctx.env);
  const result = validateRepository(files, {
    now: ctx.clock(),
    policyPath,
    landedAt,
    ...(changedFiles ? { changedFiles } : {}),
  });
  const checked = [...files.keys()].length + (files.has(policyPath) ? 0 : 1);
  ctx.stdout(opts.format === "json" ? formatJson(result.problems) : formatText(result.problems, checked));
  return result.problems.some((p) => p.severity === "error") ? ExitCode.invalid : ExitCode.ok;
}
