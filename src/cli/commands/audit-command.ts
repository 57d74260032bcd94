import {
  cacheDirOption,
  journalOption,
  policyOption,
  repoOption,
  rulePrefixOption,
} from "../common-options.js";
import { isAbsolute, join, resolve } from "node:path";
import { parseAuditTime } from "../../core/audit/audit-time.js";
import { formatAudit, isAuditFormat, type AuditFormat } from "../../core/audit/audit-format.js";
import { isValidRulePrefix } from "../../core/rule/rule-name.js";
import { ExitCode } from "../../core/model/exit-codes.js";
import { InvalidInputError } from "../../core/model/grantops-error.js";
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
}

export const registerAuditCommand: CommandRegistrar = (program, ctx, box) => {
  program
    .command("audit")
    .summary("who had access to what, when, requested by whom, approved by whom, and why")
    .description(
      "List access intervals: one per rule grantops created, from its creation to\n" +
        'its deletion (or "live"). Sources: the journal (what grantops did, when);\n' +
        "git history (--repo: the request's reason and ticket, who wrote and who " +
        "merged it); with --live, the rules in Secure Access now. " +
        "Times: RFC 3339 (2026-03-02T09:00:00Z) or a duration ago (7d, 12h).\n" +
        "Exit 0 listed (possibly none), 4 bad arguments or no journal, 1 unreadable source.",
    )
    .option("--since <time>", "only intervals that end after this time")
    .option("--until <time>", "only intervals that start at or before this time")
    .option("--user <label>", "only intervals granting this identity (case-insensitive)")
    .option("--resource <name>", "only intervals granting this private resource (case-insensitive)")
    .option("--grant <id>", "only intervals of this grant id")
    .option("--format <format>", "table, json or csv", "table")
    .addOption(journalOption())
    .addOption(repoOption("grants repository for reasons, requesters and mergers (env GRANTOPS_REPO)"))
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
  const logger = commandLogger(ctx);
  const intervals = await runAudit(options, {
    // Built only when --live lists rules, so vendor settings are not needed otherwise.
    apiFor: (alias, organization) => vendorClientFactory(ctx, logger)(alias, organization),
    warn: (message) => ctx.stderr(`grantops: warning: ${message}\n`),
  });
  ctx.stdout(formatAudit(intervals, format));
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
    ...(flags.resource === undefined ? {} : { resource: flags.resource }),
    ...(flags.grant === undefined ? {} : { grant: flags.grant }),
  };
  const stateDir = join(ctx.cwd, ".grantops");
  const journal = flags.journal ?? ctx.env["GRANTOPS_JOURNAL"] ?? join(stateDir, "journal.jsonl");
  const live = flags.live === true;
  const ref = flags.ref ?? ctx.env["GRANTOPS_REF"];
  const cacheDir = flags.cacheDir ?? ctx.env["GRANTOPS_CACHE_DIR"] ?? join(stateDir, "repos");
  return {
    format: flags.format,
    options: {
      journalPath: isAbsolute(journal) ? journal : resolve(ctx.cwd, journal),
      repo: flags.repo ?? ctx.env["GRANTOPS_REPO"] ?? (live ? ctx.cwd : null),
      ...(ref === undefined ? {} : { ref }),
      cacheDir: resolve(ctx.cwd, cacheDir),
      cwd: ctx.cwd,
      policyPath: flags.policy ?? ctx.env["GRANTOPS_POLICY"] ?? "policy.yaml",
      rulePrefix,
      live,
      query,
      now,
    },
  };
}
