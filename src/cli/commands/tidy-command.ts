import { mkdir, rename, access } from "node:fs/promises";
import path from "node:path";
import { ExitCode } from "../../core/model/exit-codes.js";
import { expiredGrants, type ExpiredGrant } from "../../core/validate/expired-grants.js";
import { readDirectoryFiles } from "../../grants/read-directory-files.js";
import { validateRepository } from "../../grants/validate-repository.js";
import { landingTimes } from "../../git/landing-times.js";
import { createGit } from "../../git/git-env.js";
import { policyPathIn } from "../policy-path-in.js";
import { runAction } from "../run-action.js";
import type { Instant } from "../../core/model/types.js";
import type { CliContext } from "../cli-context.js";
import type { CommandRegistrar } from "../program.js";

interface TidyFlags {
  repo?: string;
  policy?: string;
  dryRun?: boolean;
}

export const registerTidyCommand: CommandRegistrar = (program, ctx, box) => {
  program
    .command("tidy")
    .summary("move expired grant files to grants/expired/ (git mv), ready to commit")
    .description(
      "Move the grant files whose time has passed to grants/expired/ (same sub-path), with git mv when the " +
        "directory is a git repository. Expiry counts from each file's landing time in the history of HEAD. " +
        "Invalid files are left alone. Exit 0 (also when there is nothing to move), 4 when a target exists.",
    )
    .option("--repo <dir>", "grants repository working directory (default: the current directory)")
    .option("--policy <path>", "policy file (default: policy.yaml in the repository)")
    .option("--dry-run", "only list what would move")
    .action(runAction(ctx, box, (flags: TidyFlags) => tidyAction(ctx, flags)));
};

async function tidyAction(ctx: CliContext, flags: TidyFlags): Promise<number> {
  const repo = path.resolve(ctx.cwd, flags.repo ?? ".");
  const policyPath = policyPathIn(repo, ctx.cwd, flags.policy);
  const now = ctx.clock();
  const validated = validateRepository(await readDirectoryFiles(repo, { policyPath }), { now, policyPath });
  const isGit = await isGitRepository(repo);
  const landed = isGit
    ? await committedLandings(
        repo,
        validated.grants.map((g) => g.file),
      )
    : new Map<string, Instant>();
  const expired = expiredGrants(validated.grants, landed, now);
  if (expired.length === 0) {
    ctx.stdout("no expired grant files\n");
    return ExitCode.ok;
  }
  let blocked = 0;
  for (const grant of expired) {
    const outcome = flags.dryRun === true ? "would move" : await move(repo, grant, isGit);
    if (outcome === "target exists") blocked += 1;
    ctx.stdout(`${outcome}: ${grant.file} -> ${grant.target} (expired ${grant.expiresAt})\n`);
  }
  if (flags.dryRun !== true && blocked < expired.length) {
    ctx.stdout('next: git commit -m "Tidy expired grants" and open a pull request\n');
  }
  return blocked > 0 ? ExitCode.invalid : ExitCode.ok;
}

async function move(repo: string, grant: ExpiredGrant, isGit: boolean): Promise<string> {
  const target = path.join(repo, grant.target);
  if (await exists(target)) return "target exists";
  await mkdir(path.dirname(target), { recursive: true });
  if (isGit) await createGit(repo).raw(["mv", "--", grant.file, grant.target]);
  else await rename(path.join(repo, grant.file), target);
  return "moved";
}

async function committedLandings(repo: string, files: string[]): Promise<Map<string, Instant>> {
  const landings = await landingTimes(repo, "HEAD", files);
  return new Map([...landings].map(([file, landing]) => [file, landing.landedAt]));
}

async function isGitRepository(dir: string): Promise<boolean> {
  try {
    const inside = await createGit(dir).raw(["rev-parse", "--is-inside-work-tree"]);
    return (
      inside.trim() === "true" &&
      (await createGit(dir).raw(["rev-parse", "--verify", "-q", "HEAD"])).trim() !== ""
    );
  } catch {
    return false;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
