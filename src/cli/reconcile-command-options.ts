import type { Command } from "commander";

/** The options plan and apply share (flags > environment > defaults; see readReconcileConfig). */
export function addReconcileOptions(command: Command): Command {
  return command
    .option(
      "--repo <dir|url>",
      "grants repository: a local path or a clone URL (env GRANTOPS_REPO; default: .)",
    )
    .option("--ref <ref>", "branch, tag or commit to read (env GRANTOPS_REF; default: the default branch)")
    .option("--policy <path>", "policy file path in the repository (env GRANTOPS_POLICY)", undefined)
    .option("--cache-dir <dir>", "where clones of URL repositories are kept (default .grantops/repos)")
    .option(
      "--journal <file>",
      "journal file, JSON lines (env GRANTOPS_JOURNAL; default .grantops/journal.jsonl)",
    )
    .option(
      "--rule-prefix <prefix>",
      "name prefix of managed rules (env GRANTOPS_RULE_PREFIX; default grantops-)",
    )
    .option("--trust-git", "treat every grant on the default branch as approved (no GitHub verification)")
    .option("--max-deletes <n>", "refuse plans deleting more rules than this, expiry aside (default 25)")
    .option("--allow-mass-delete", "apply even when the mass-delete guard refuses")
    .option("--allow-empty", "apply even when the desired set is empty and rules would be deleted");
}
