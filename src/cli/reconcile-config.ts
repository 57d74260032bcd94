import { join } from "node:path";
import { InvalidInputError } from "../core/model/grantops-error.js";
import type { PlanLimits } from "../core/model/types.js";
import { DEFAULT_JOURNAL_BRANCH } from "../journal/journal-target.js";

/** Settings shared by plan, apply and sweep: flags > environment > defaults, every problem reported at once. */
export interface ReconcileConfig {
  repo: string;
  ref: string | undefined;
  policyPath: string;
  cacheDir: string;
  journalPath: string;
  /** The journal branch entries are published to; null: the local file only. */
  journalBranch: string | null;
  rulePrefix: string;
  trustGit: boolean;
  limits: PlanLimits;
}

export interface ReconcileFlags {
  repo?: string;
  ref?: string;
  policy?: string;
  cacheDir?: string;
  journal?: string;
  /** A name, or false for --no-journal-branch. */
  journalBranch?: string | false;
  rulePrefix?: string;
  trustGit?: boolean;
  maxDeletes?: string;
  allowMassDelete?: boolean;
  allowEmpty?: boolean;
}

export function readReconcileConfig(
  flags: ReconcileFlags,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Readonly<ReconcileConfig> {
  const problems: string[] = [];
  const rulePrefix = flags.rulePrefix ?? env["GRANTOPS_RULE_PREFIX"] ?? "grantops-";
  if (!/^[A-Za-z0-9_-]{1,20}$/.test(rulePrefix)) {
    problems.push(`rule prefix "${rulePrefix}" must be 1-20 characters of letters, digits, "_" and "-"`);
  }
  const maxDeletesText = flags.maxDeletes ?? env["GRANTOPS_MAX_DELETES"] ?? "25";
  const maxDeletes = Number(maxDeletesText);
  if (!Number.isInteger(maxDeletes) || maxDeletes < 0) {
    problems.push(
      `--max-deletes / GRANTOPS_MAX_DELETES must be a whole number >= 0, not "${maxDeletesText}"`,
    );
  }
  const journalBranch = readJournalBranch(flags.journalBranch, env);
  if (journalBranch !== null && !/^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/.test(journalBranch)) {
    problems.push(
      `journal branch "${journalBranch}" must be a plain branch name (letters, digits, ".", "_", "/", "-")`,
    );
  }
  if (problems.length > 0) {
    throw new InvalidInputError("CONFIG_INVALID", `invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  const stateDir = join(cwd, ".grantops");
  return Object.freeze({
    repo: flags.repo ?? env["GRANTOPS_REPO"] ?? cwd,
    ref: flags.ref ?? env["GRANTOPS_REF"],
    policyPath: flags.policy ?? env["GRANTOPS_POLICY"] ?? "policy.yaml",
    cacheDir: flags.cacheDir ?? env["GRANTOPS_CACHE_DIR"] ?? join(stateDir, "repos"),
    journalPath: flags.journal ?? env["GRANTOPS_JOURNAL"] ?? join(stateDir, "journal.jsonl"),
    journalBranch,
    rulePrefix,
    trustGit: flags.trustGit === true || env["GRANTOPS_TRUST_GIT"] === "1",
    limits: Object.freeze({
      maxDeletes,
      allowMassDelete: flags.allowMassDelete === true,
      allowEmpty: flags.allowEmpty === true,
    }),
  });
}

/** --journal-branch NAME > --no-journal-branch > GRANTOPS_JOURNAL_BRANCH (`none` = off) > grantops-journal. */
export function readJournalBranch(
  flag: string | false | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | null {
  if (flag === false) return null;
  const name = flag ?? env["GRANTOPS_JOURNAL_BRANCH"] ?? DEFAULT_JOURNAL_BRANCH;
  return name === "none" ? null : name;
}
