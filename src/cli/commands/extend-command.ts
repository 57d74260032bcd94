import { writeFile } from "node:fs/promises";
import path from "node:path";
import { ExitCode } from "../../core/model/exit-codes.js";
import { InvalidInputError } from "../../core/model/grantops-error.js";
import { parseDuration } from "../../core/time/duration.js";
import { extendGrantText } from "../../grants/extend-grant-text.js";
import { findGrantFile } from "../../grants/find-grant-file.js";
import { readDirectoryFiles } from "../../grants/read-directory-files.js";
import { changeTitle, formatChangeBody } from "../../core/report/format-change-pull-request.js";
import { grantChangeSection } from "../../open-pr/change-section.js";
import { checkCandidate, checkNamesOption, namesLine } from "../check-candidate.js";
import type { CliContext } from "../cli-context.js";
import { formatText } from "../format-problems.js";
import { addOpenPrOptions, finishOpenPr, prepareOpenPr, type OpenPrFlags } from "../open-pr-options.js";
import type { CommandRegistrar } from "../program.js";
import { policyPathIn } from "../policy-path-in.js";
import { runAction } from "../run-action.js";

interface ExtendOptions extends OpenPrFlags {
  checkNames: boolean;
  duration: string;
  repo?: string;
  policy?: string;
}

export const registerExtendCommand: CommandRegistrar = (program, ctx, box) => {
  const command = program
    .command("extend")
    .summary("ask for more time: a new version of a grant file with a new duration")
    .description(
      "Rewrite grants/<GRANT_ID>.yaml with `duration: D` counted from when the change lands (expiresAt and a " +
        "past startsAt are dropped): a new version of the grant, so it needs a new approval. The result is " +
        "validated first (and its names looked up in Secure Access when its credentials are configured, as " +
        "request does); exit 4 (nothing written) when it has errors or there is no such grant.",
    )
    .argument("<grant-id>", "the grant's id: its path under grants/ without the extension")
    .requiredOption(
      "--duration <duration>",
      "the new duration from the landing: 90s, 30m, 4h, 1h30m, 2d, PT4H",
    )
    .option("--repo <dir>", "grants repository directory (default: the current directory)")
    .option("--policy <path>", "policy file (default: policy.yaml in the repository)")
    .option(...checkNamesOption);
  addOpenPrOptions(command).action(
    runAction(ctx, box, (id: string, opts: ExtendOptions) => extendAction(ctx, id, opts)),
  );
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
  const session = await prepareOpenPr(ctx, repo, opts, policyPath);
  const now = ctx.clock();
  const text = extendGrantText(new TextDecoder().decode(files.get(file)), opts.duration, now);
  const checked = await checkCandidate(
    ctx,
    files,
    { file, text, verb: "extend" },
    { now, policyPath, checkNames: opts.checkNames },
  );
  if (checked === null) return ExitCode.invalid;
  if (checked.problems.length > 0) ctx.stderr(formatText(checked.problems, 1));
  const names = namesLine(checked.names);
  if (session !== null) {
    const change = {
      kind: "extend" as const,
      duration: opts.duration,
      section: grantChangeSection(checked.grant, checked.policy, "changed", {
        now,
        problems: checked.problems,
      }),
      names,
    };
    ctx.stdout(`${names}\n`);
    await finishOpenPr(ctx, session, {
      branch: `grantops/extend/${id.replaceAll("/", "-")}`,
      path: file,
      text,
      commitMessage: `extend: ${id} (${opts.duration})`,
      title: changeTitle(change),
      body: formatChangeBody(change),
    });
    return ExitCode.ok;
  }
  await writeFile(path.join(repo, file), text);
  const branch = `extend/${id.replaceAll("/", "-")}`;
  ctx.stdout(
    [
      `extended ${file}: duration ${opts.duration} from when the change lands (a new approval is needed)`,
      names,
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
