import { Option } from "commander";

// The options several commands share, defined once so their names and help stay the same everywhere.
// Each command adds the ones it takes with `.addOption(...)`.

export const repoOption = (
  help = "grants repository: a local path or a clone URL (env GRANTOPS_REPO; default: .)",
) => new Option("--repo <dir|url>", help);

export const policyOption = () =>
  new Option(
    "--policy <path>",
    "policy file path in the repository (env GRANTOPS_POLICY; default policy.yaml)",
  );

export const cacheDirOption = () =>
  new Option("--cache-dir <dir>", "where clones of URL repositories are kept (default .grantops/repos)");

export const journalOption = () =>
  new Option(
    "--journal <file>",
    "journal file, JSON lines (env GRANTOPS_JOURNAL; default .grantops/journal.jsonl)",
  );

export const rulePrefixOption = () =>
  new Option(
    "--rule-prefix <prefix>",
    "name prefix of managed rules (env GRANTOPS_RULE_PREFIX; default grantops-)",
  );

export const trustGitOption = (
  help = "treat every grant on the default branch as approved (no GitHub verification)",
) => new Option("--trust-git", help);

export const maxDeletesOption = (
  help = "refuse plans deleting more rules than this, expiry aside (env GRANTOPS_MAX_DELETES; default 25)",
) => new Option("--max-deletes <n>", help);

export const journalBranchOption = () =>
  new Option(
    "--journal-branch <name>",
    "branch of the grants repository the journal is published to (env GRANTOPS_JOURNAL_BRANCH; default grantops-journal)",
  );

export const noJournalBranchOption = () =>
  new Option(
    "--no-journal-branch",
    "keep the journal in the local file only (env GRANTOPS_JOURNAL_BRANCH=none)",
  );
