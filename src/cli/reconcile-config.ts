import { join } from "node:path";
import { InvalidInputError } from "../core/model/grantops-error.js";
import { statePathFor } from "../reconcile/verification-cache.js";
import { DEFAULT_VERIFY_BUDGET } from "../reconcile/read-verified-rules.js";
import type { PlanLimits } from "../core/model/types.js";
import { decimalInteger } from "./decimal-integer.js";
import { DEFAULT_JOURNAL_BRANCH } from "../journal/journal-target.js";

/** Settings shared by plan, apply and sweep: flags > environment > defaults, every problem reported at once. */
export interface ReconcileConfig {
  repo: string;
  ref: string | undefined;
  policyPath: string;
  cacheDir: string;
  journalPath: string;
  /** The verification state file (default: verified-rules.json beside the journal). */
  statePath: string;
  /** Rule GETs per run and organization to verify ownership (GRANTOPS_VERIFY_BUDGET, default 1000). */
  verifyBudget: number;
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
  state?: string;
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
  const maxDeletes = decimalInteger(maxDeletesText) ?? -1;
  if (maxDeletes < 0) {
    problems.push(
      `--max-deletes / GRANTOPS_MAX_DELETES must be a decimal whole number >= 0, not ${JSON.stringify(maxDeletesText)}`,
    );
  }
  const budgetText = env["GRANTOPS_VERIFY_BUDGET"] ?? String(DEFAULT_VERIFY_BUDGET);
  const verifyBudget = decimalInteger(budgetText) ?? -1;
  if (verifyBudget < 0) {
    problems.push(
      `GRANTOPS_VERIFY_BUDGET must be a decimal whole number >= 0, not ${JSON.stringify(budgetText)}`,
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
  const journalPath = flags.journal ?? env["GRANTOPS_JOURNAL"] ?? join(stateDir, "journal.jsonl");
  return Object.freeze({
    repo: flags.repo ?? env["GRANTOPS_REPO"] ?? cwd,
    ref: flags.ref ?? env["GRANTOPS_REF"],
    policyPath: flags.policy ?? env["GRANTOPS_POLICY"] ?? "policy.yaml",
    cacheDir: flags.cacheDir ?? env["GRANTOPS_CACHE_DIR"] ?? join(stateDir, "repos"),
    journalPath,
    journalBranch,
    verifyBudget,
    statePath: flags.state ?? env["GRANTOPS_STATE"] ?? statePathFor(journalPath),
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
