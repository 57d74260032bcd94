import {
  cacheDirOption,
  journalBranchOption,
  journalOption,
  policyOption,
  repoOption,
  rulePrefixOption,
} from "../common-options.js";
import { join, resolve } from "node:path";
import { parseAuditTime } from "../../core/audit/audit-time.js";
import { formatAudit, isAuditFormat, type AuditFormat } from "../../core/audit/audit-format.js";
import { isValidRulePrefix } from "../../core/rule/rule-name.js";
import { ExitCode } from "../../core/model/exit-codes.js";
import { GrantopsError, InvalidInputError } from "../../core/model/grantops-error.js";
import { readAuditJournal, type AuditJournalSource } from "../../audit/read-audit-journal.js";
import { readJournalBranch } from "../reconcile-config.js";
import { runAudit, type AuditOptions } from "../../audit/run-audit.js";
import { commandLogger, vendorClientFactory } from "../build-reconcile-deps.js";
import { runAction } from "../run-action.js";
import type { AuditQuery } from "../../core/audit/audit-types.js";
import type { CliContext } from "../cli-context.js";
import type { CommandRegistrar } from "../program.js";

interface AuditFlags {
  since?: string;
  until?: string;
  user?: string;
  group?: string;
  resource?: string;
  grant?: string;
  format: string;
  journal?: string;
  repo?: string;
  ref?: string;
  policy?: string;
  cacheDir?: string;
  rulePrefix?: string;
  live?: boolean;
  verify?: boolean;
  journalBranch?: string;
}

export const registerAuditCommand: CommandRegistrar = (program, ctx, box) => {
  program
    .command("audit")
    .summary("who had access to what, when, requested by whom, approved by whom, and why")
    .description(
      "List access intervals: one per rule grantops created, from its creation to\n" +
        'its deletion (or "live"). Sources: the journal (what grantops did, when: the\n' +
        "journal branch of --repo, default the current directory; or --journal FILE);\n" +
        "git history (--repo: the request's reason and ticket, who wrote and who " +
        "merged it); with --live, the rules in Secure Access now. " +
        "Times: RFC 3339 (2026-03-02T09:00:00Z) or a duration ago (7d, 12h).\n" +
        "grantops cannot see who is in a directory group: --user also lists the grants to any group, " +
        "each with a note to check membership; --group lists the grants to one group.\n" +
        "--verify checks the journal's hash chain instead of listing: it names the first broken file:line.\n" +
        "Exit 0 listed (possibly none) or chain intact, 4 bad arguments or no journal, " +
        "1 unreadable source or broken chain.",
    )
    .option("--since <time>", "only intervals that end after this time")
    .option("--until <time>", "only intervals that start at or before this time")
    .option(
      "--user <label>",
      "only intervals granting this identity (case-insensitive), and every grant to a directory group, " +
        "noted: grantops cannot see group membership",
    )
    .option("--group <name>", "only intervals granting this directory group (case-insensitive)")
    .option("--resource <name>", "only intervals granting this private resource (case-insensitive)")
    .option("--grant <id>", "only intervals of this grant id")
    .option("--format <format>", "table, json or csv", "table")
    .addOption(
      journalOption().default(
        undefined,
        "none: the journal branch of --repo, else the local .grantops/journal.jsonl",
      ),
    )
    .addOption(
      repoOption(
        "grants repository: its journal branch, and the reasons, requesters and mergers (env GRANTOPS_REPO; journal default: .)",
      ),
    )
    .addOption(journalBranchOption())
    .option(
      "--verify",
      "check the journal's hash chain (every line, across files) and exit 1 at the first break",
    )
    .option(
      "--ref <ref>",
      "branch, tag or commit whose policy and history are read (default: the default branch)",
    )
    .addOption(policyOption())
    .addOption(cacheDirOption())
    .addOption(rulePrefixOption())
    .option(
      "--live",
      "also list the rules in Secure Access now (credentials from the environment, as for plan)",
    )
    .action(runAction(ctx, box, (flags: AuditFlags) => auditAction(ctx, flags)));
};

async function auditAction(ctx: CliContext, flags: AuditFlags): Promise<number> {
  const { options, format } = readAuditOptions(flags, ctx);
  const warn = (message: string): void => ctx.stderr(`grantops: warning: ${message}\n`);
  if (flags.verify === true) return verifyAction(ctx, options.journal, warn);
  const logger = commandLogger(ctx);
  const intervals = await runAudit(options, {
    // Built only when --live lists rules, so vendor settings are not needed otherwise.
    apiFor: (alias, organization) => vendorClientFactory(ctx, logger)(alias, organization),
    warn,
  });
  ctx.stdout(formatAudit(intervals, format));
  return ExitCode.ok;
}

/** `audit --verify`: the whole hash chain; the first broken line is named and exits 1. */
async function verifyAction(
  ctx: CliContext,
  source: AuditJournalSource,
  warn: (message: string) => void,
): Promise<number> {
  const journal = await readAuditJournal(source, { verify: true, warn });
  if (!journal.found) {
    throw new InvalidInputError(
      "journal-missing",
      `journal not found: nothing to verify (pass --repo or --journal)`,
    );
  }
  if (journal.broken !== null) {
    const { path, line, message } = journal.broken;
    throw new GrantopsError(
      "journal-chain-broken",
      `the journal's hash chain is broken at ${path}:${line}: ${message} (${journal.description})`,
    );
  }
  ctx.stdout(`journal chain intact: ${journal.lines} entries (${journal.description})\n`);
  return ExitCode.ok;
}

/** Flags > environment > defaults; every bad argument reported at once (exit 4). */
export function readAuditOptions(
  flags: AuditFlags,
  ctx: Pick<CliContext, "env" | "cwd" | "clock">,
): { options: AuditOptions; format: AuditFormat } {
  const now = ctx.clock();
  const problems: string[] = [];
  const time = (name: string, text: string | undefined): number | null => {
    if (text === undefined) return null;
    const ms = parseAuditTime(text, now);
    if (ms === null) problems.push(`--${name} "${text}" is neither an RFC 3339 time nor a duration like 7d`);
    return ms;
  };
  const since = time("since", flags.since);
  const until = time("until", flags.until);
  if (since !== null && until !== null && since > until) problems.push("--since is later than --until");
  if (!isAuditFormat(flags.format))
    problems.push(`--format must be table, json or csv, not "${flags.format}"`);
  const rulePrefix = flags.rulePrefix ?? ctx.env["GRANTOPS_RULE_PREFIX"] ?? "grantops-";
  if (!isValidRulePrefix(rulePrefix)) problems.push(`rule prefix "${rulePrefix}" is not valid`);
  if (problems.length > 0 || !isAuditFormat(flags.format)) {
    throw new InvalidInputError("audit-arguments", `invalid arguments:\n  ${problems.join("\n  ")}`);
  }
  const query: AuditQuery = {
    since,
    until,
    ...(flags.user === undefined ? {} : { user: flags.user }),
    ...(flags.group === undefined ? {} : { group: flags.group }),
    ...(flags.resource === undefined ? {} : { resource: flags.resource }),
    ...(flags.grant === undefined ? {} : { grant: flags.grant }),
  };
  const stateDir = join(ctx.cwd, ".grantops");
  const live = flags.live === true;
  const ref = flags.ref ?? ctx.env["GRANTOPS_REF"];
  const cacheDir = resolve(
    ctx.cwd,
    flags.cacheDir ?? ctx.env["GRANTOPS_CACHE_DIR"] ?? join(stateDir, "repos"),
  );
  const repo = flags.repo ?? ctx.env["GRANTOPS_REPO"];
  const file = flags.journal ?? ctx.env["GRANTOPS_JOURNAL"];
  const branch = readJournalBranch(flags.journalBranch, ctx.env);
  const fallbackPath = join(stateDir, "journal.jsonl");
  const journal: AuditJournalSource =
    file !== undefined || branch === null
      ? { kind: "file", path: resolve(ctx.cwd, file ?? fallbackPath) }
      : { kind: "branch", repo: repo ?? ctx.cwd, branch, cacheDir, cwd: ctx.cwd, fallbackPath };
  return {
    format: flags.format,
    options: {
      journal,
      repo: repo ?? (live ? ctx.cwd : null),
      ...(ref === undefined ? {} : { ref }),
      cacheDir,
      cwd: ctx.cwd,
      policyPath: flags.policy ?? ctx.env["GRANTOPS_POLICY"] ?? "policy.yaml",
      rulePrefix,
      live,
      query,
      now,
    },
  };
}
