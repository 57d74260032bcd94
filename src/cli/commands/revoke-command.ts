import { rm } from "node:fs/promises";
import path from "node:path";
import { ExitCode } from "../../core/model/exit-codes.js";
import { findGrantFile } from "../../grants/find-grant-file.js";
import { readDirectoryFiles } from "../../grants/read-directory-files.js";
import { changeTitle, formatChangeBody } from "../../core/report/format-change-pull-request.js";
import { grantRemovalSection } from "../../open-pr/change-section.js";
import type { CliContext } from "../cli-context.js";
import { addOpenPrOptions, finishOpenPr, prepareOpenPr, type OpenPrFlags } from "../open-pr-options.js";
import type { CommandRegistrar } from "../program.js";
import { policyPathIn } from "../policy-path-in.js";
import { runAction } from "../run-action.js";

interface RevokeOptions extends OpenPrFlags {
  repo?: string;
  policy?: string;
}

export const registerRevokeCommand: CommandRegistrar = (program, ctx, box) => {
  const command = program
    .command("revoke")
    .summary("end a grant early: remove its file, ready to commit")
    .description(
      "Remove grants/<GRANT_ID>.yaml (or .yml) from the working tree and print the next steps (or, with " +
        "--open-pr, commit the removal on a new branch, push it and open the pull request). Once the pull " +
        "request that removes it is merged, grantops deletes the grant's rule (no approval needed to remove " +
        "access). Exit 4 when there is no such grant.",
    )
    .argument("<grant-id>", "the grant's id: its path under grants/ without the extension")
    .option("--repo <dir>", "grants repository directory (default: the current directory)")
    .option("--policy <path>", "policy file (default: policy.yaml in the repository)");
  addOpenPrOptions(command).action(
    runAction(ctx, box, (id: string, opts: RevokeOptions) => revokeAction(ctx, id, opts)),
  );
};

async function revokeAction(ctx: CliContext, id: string, opts: RevokeOptions): Promise<number> {
  const repo = path.resolve(ctx.cwd, opts.repo ?? ".");
  const policyPath = policyPathIn(repo, ctx.cwd, opts.policy);
  const files = await readDirectoryFiles(repo, { policyPath });
  const file = findGrantFile(files, id);
  const session = await prepareOpenPr(ctx, repo, opts, policyPath);
  if (session !== null) {
    const change = { kind: "revoke" as const, section: grantRemovalSection(id, file), names: null };
    await finishOpenPr(ctx, session, {
      branch: `grantops/revoke/${id.replaceAll("/", "-")}`,
      path: file,
      text: null,
      commitMessage: `revoke: ${id}`,
      title: changeTitle(change),
      body: formatChangeBody(change),
    });
    return ExitCode.ok;
  }
  await rm(path.join(repo, file));
  const branch = `revoke/${id.replaceAll("/", "-")}`;
  ctx.stdout(
    [
      `removed ${file}`,
      "next:",
      `  git checkout -b ${branch}`,
      `  git rm --cached --quiet ${file}`,
      `  git commit -m "revoke: ${id}"`,
      `  git push -u origin ${branch}   # then open a pull request; merging it deletes the rule`,
      "",
    ].join("\n"),
  );
  return ExitCode.ok;
}
