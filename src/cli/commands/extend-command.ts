import { writeFile } from "node:fs/promises";
import path from "node:path";
import { ExitCode } from "../../core/model/exit-codes.js";
import { InvalidInputError } from "../../core/model/grantops-error.js";
import { parseDuration } from "../../core/time/duration.js";
import { extendGrantText } from "../../grants/extend-grant-text.js";
import { findGrantFile } from "../../grants/find-grant-file.js";
import { readDirectoryFiles } from "../../grants/read-directory-files.js";
import { candidateProblems } from "../candidate-problems.js";
import type { CliContext } from "../cli-context.js";
import { formatText } from "../format-problems.js";
import type { CommandRegistrar } from "../program.js";
import { policyPathIn } from "../policy-path-in.js";
import { runAction } from "../run-action.js";

interface ExtendOptions {
  duration: string;
  repo?: string;
  policy?: string;
}

export const registerExtendCommand: CommandRegistrar = (program, ctx, box) => {
  program
    .command("extend")
    .summary("ask for more time: a new version of a grant file with a new duration")
    .description(
      "Rewrite grants/<GRANT_ID>.yaml with `duration: D` counted from when the change lands (expiresAt and a " +
        "past startsAt are dropped): a new version of the grant, so it needs a new approval. The result is " +
        "validated first; exit 4 (nothing written) when it has errors or there is no such grant.",
    )
    .argument("<grant-id>", "the grant's id: its path under grants/ without the extension")
    .requiredOption(
      "--duration <duration>",
      "the new duration from the landing: 90s, 30m, 4h, 1h30m, 2d, PT4H",
    )
    .option("--repo <dir>", "grants repository directory (default: the current directory)")
    .option("--policy <path>", "policy file (default: policy.yaml in the repository)")
    .action(runAction(ctx, box, (id: string, opts: ExtendOptions) => extendAction(ctx, id, opts)));
};

async function extendAction(ctx: CliContext, id: string, opts: ExtendOptions): Promise<number> {
  if (parseDuration(opts.duration) === null)
    throw new InvalidInputError(
      "bad-arguments",
      `--duration ${opts.duration}: not a duration (90s, 30m, 1h30m, 2d)`,
    );
  const repo = path.resolve(ctx.cwd, opts.repo ?? ".");
  const policyPath = policyPathIn(repo, ctx.cwd, opts.policy);
  const files = await readDirectoryFiles(repo, { policyPath });
  const file = findGrantFile(files, id);
  const now = ctx.clock();
  const text = extendGrantText(new TextDecoder().decode(files.get(file)), opts.duration, now);
  const mine = candidateProblems(files, file, text, { now, policyPath });
  if (mine.some((p) => p.severity === "error")) {
    ctx.stderr(`grantops: refusing to extend ${file}:\n${formatText(mine, 1)}`);
    return ExitCode.invalid;
  }
  await writeFile(path.join(repo, file), text);
  const branch = `extend/${id.replaceAll("/", "-")}`;
  ctx.stdout(
    [
      `extended ${file}: duration ${opts.duration} from when the change lands (a new approval is needed)`,
      "next:",
      `  git checkout -b ${branch}`,
      `  git add ${file}`,
      `  git commit -m "extend: ${id}"`,
      `  git push -u origin ${branch}   # then open a pull request for review`,
      "",
    ].join("\n"),
  );
  return ExitCode.ok;
}
