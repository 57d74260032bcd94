import { rm } from "node:fs/promises";
import path from "node:path";
import { ExitCode } from "../../core/model/exit-codes.js";
import { findGrantFile } from "../../grants/find-grant-file.js";
import { readDirectoryFiles } from "../../grants/read-directory-files.js";
import type { CliContext } from "../cli-context.js";
import type { CommandRegistrar } from "../program.js";
import { policyPathIn } from "../policy-path-in.js";
import { runAction } from "../run-action.js";

interface RevokeOptions {
  repo?: string;
  policy?: string;
}

export const registerRevokeCommand: CommandRegistrar = (program, ctx, box) => {
  program
    .command("revoke")
    .summary("end a grant early: remove its file, ready to commit")
    .description(
      "Remove grants/<GRANT_ID>.yaml (or .yml) from the working tree and print the next steps. Once the pull " +
        "request that removes it is merged, grantops deletes the grant's rule (no approval needed to remove " +
        "access). Exit 4 when there is no such grant.",
    )
    .argument("<grant-id>", "the grant's id: its path under grants/ without the extension")
    .option("--repo <dir>", "grants repository directory (default: the current directory)")
    .option("--policy <path>", "policy file (default: policy.yaml in the repository)")
    .action(runAction(ctx, box, (id: string, opts: RevokeOptions) => revokeAction(ctx, id, opts)));
};

async function revokeAction(ctx: CliContext, id: string, opts: RevokeOptions): Promise<number> {
  const repo = path.resolve(ctx.cwd, opts.repo ?? ".");
  const files = await readDirectoryFiles(repo, { policyPath: policyPathIn(repo, ctx.cwd, opts.policy) });
  const file = findGrantFile(files, id);
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
