import type { Command } from "commander";
import {
  cacheDirOption,
  journalBranchOption,
  journalOption,
  noJournalBranchOption,
  maxDeletesOption,
  policyOption,
  repoOption,
  rulePrefixOption,
  trustGitOption,
} from "./common-options.js";

/** The options plan and apply share (flags > environment > defaults; see readReconcileConfig). */
export function addReconcileOptions(command: Command): Command {
  return command
    .addOption(repoOption())
    .option("--ref <ref>", "branch, tag or commit to read (env GRANTOPS_REF; default: the default branch)")
    .addOption(policyOption())
    .addOption(cacheDirOption())
    .addOption(journalOption())
    .option(
      "--state <file>",
      "verification cache and record of created rules (env GRANTOPS_STATE; default verified-rules.json beside the journal); the landing-times cache landing-times.json is kept beside it",
    )
    .addOption(journalBranchOption())
    .addOption(noJournalBranchOption())
    .addOption(rulePrefixOption())
    .addOption(trustGitOption())
    .addOption(maxDeletesOption())
    .option("--allow-mass-delete", "apply even when the mass-delete guard refuses")
    .option("--allow-empty", "apply even when the desired set is empty and rules would be deleted");
}
