import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { ExitCode } from "../../core/model/exit-codes.js";
import { InvalidInputError } from "../../core/model/grantops-error.js";
import { checkGrantId } from "../../core/validate/check-grant-id.js";
import type { GrantFile, GroupRef, ResourceRef, UserRef } from "../../core/model/types.js";
import { granteeItems } from "../../core/report/grantee-items.js";
import { readDirectoryFiles } from "../../grants/read-directory-files.js";
import { defaultGrantId, parseRef, renderGrantFile } from "../../grants/render-grant-file.js";
import { changeTitle, formatChangeBody } from "../../core/report/format-change-pull-request.js";
import { grantChangeSection } from "../../open-pr/change-section.js";
import { checkCandidate, checkNamesOption, namesLine, type CheckedCandidate } from "../check-candidate.js";
import type { CliContext } from "../cli-context.js";
import type { CommandRegistrar } from "../program.js";
import { runAction } from "../run-action.js";
import { formatText } from "../format-problems.js";
import { policyPathIn } from "../policy-path-in.js";
import { addOpenPrOptions, finishOpenPr, prepareOpenPr, type OpenPrFlags } from "../open-pr-options.js";

interface RequestOptions extends OpenPrFlags {
  checkNames: boolean;
  user: string[];
  group: string[];
  resource: string[];
  duration?: string;
  expiresAt?: string;
  startsAt?: string;
  reason?: string;
  ticket?: string;
  org?: string;
  id?: string;
  breakGlass?: boolean;
  repo?: string;
  policy?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export const registerRequestCommand: CommandRegistrar = (program, ctx, box) => {
  const command = program
    .command("request")
    .summary("write a new grant file (the access request) that validates")
    .description(
      "Write a new grant file (grants/<id>.yaml) that passes validation; then commit it and open a pull request " +
        "(or let --open-pr do it). When Secure Access credentials for the grant's organization are configured " +
        "(as for plan), every user and resource is looked up first and an unknown name is refused with its " +
        "close matches; otherwise the output says the names were not checked. Refuses (exit 4) when the file " +
        "would have errors, a name is unknown or the file already exists; a Secure Access error (credentials, " +
        "5xx, network) is not an unknown name: it fails with its own code.",
    )
    .option(
      "--user <user>",
      "identity label (email/UPN) or id:<identity id>; repeatable (at least one --user or --group)",
      collect,
      [],
    )
    .option(
      "--group <group>",
      "directory group name or id:<identity id>; repeatable (where the policy's allowGroups lets groups in)",
      collect,
      [],
    )
    .requiredOption(
      "--resource <resource>",
      "private resource name or id:<resource id>; repeatable",
      collect,
      [],
    )
    .option(
      "--duration <duration>",
      "how long: 90s, 30m, 4h, 1h30m, 2d, PT4H (from landing, or from --starts-at); default: the policy's defaults.duration",
    )
    .option("--expires-at <time>", "absolute expiry, RFC 3339 with time zone (instead of --duration)")
    .option("--starts-at <time>", "access begins later, RFC 3339 with time zone")
    .option(
      "--reason <text>",
      "why access is needed (10 to 200 characters); required unless the policy sets defaults.requireReason: false",
    )
    .option("--ticket <ticket>", "change or incident ticket")
    .option("--org <alias>", "organization alias from policy.yaml (optional when it names one)")
    .option("--id <id>", "grant id, e.g. team/name (default: <user>-<resource>)")
    .option("--break-glass", "emergency access within the policy's breakGlass caps")
    .option("--repo <dir>", "grants repository directory (default: the current directory)")
    .option("--policy <path>", "policy file (default: policy.yaml in the repository)")
    .option(...checkNamesOption);
  addOpenPrOptions(command).action(runAction(ctx, box, (opts: RequestOptions) => requestAction(ctx, opts)));
};

async function requestAction(ctx: CliContext, opts: RequestOptions): Promise<number> {
  const grant = grantFromOptions(opts);
  const id = opts.id ?? defaultGrantId(grant.users?.[0], grant.resources[0], grant.groups?.[0]);
  const idProblem = checkGrantId(id);
  if (idProblem) throw new InvalidInputError("bad-grant-id", idProblem);
  const file = `grants/${id}.yaml`;
  const repo = path.resolve(ctx.cwd, opts.repo ?? ".");
  const policyPath = policyPathIn(repo, ctx.cwd, opts.policy);
  const session = await prepareOpenPr(ctx, repo, opts, policyPath);
  const files = await readDirectoryFiles(repo, { policyPath });
  if (files.has(file) || files.has(file.replace(/\.yaml$/, ".yml"))) {
    throw new InvalidInputError(
      "grant-exists",
      `${file} already exists; choose another --id or edit the file`,
    );
  }
  const now = ctx.clock();
  const text = renderGrantFile(grant, header(now));
  const checked = await checkCandidate(
    ctx,
    files,
    { file, text, verb: "write" },
    { now, policyPath, checkNames: opts.checkNames },
  );
  if (checked === null) return ExitCode.invalid;
  if (checked.problems.length > 0) ctx.stderr(formatText(checked.problems, 1));
  if (session !== null) {
    ctx.stdout(`${grantLine(grant)}${namesLine(checked.names)}\n`);
    await finishOpenPr(ctx, session, proposal(id, file, text, checked, now));
    return ExitCode.ok;
  }
  await mkdir(path.dirname(path.join(repo, file)), { recursive: true });
  await writeFile(path.join(repo, file), text, { flag: "wx" });
  ctx.stdout(`${grantLine(grant)}${namesLine(checked.names)}\n${nextSteps(file, id)}`);
  return ExitCode.ok;
}

function proposal(id: string, file: string, text: string, checked: CheckedCandidate, now: Date) {
  const change = {
    kind: "request" as const,
    section: grantChangeSection(checked.grant, checked.policy, "added", { now, problems: checked.problems }),
    names: namesLine(checked.names),
  };
  return {
    branch: `grantops/request/${id.replaceAll("/", "-")}`,
    path: file,
    text,
    commitMessage: `grant: ${id}`,
    title: changeTitle(change),
    body: formatChangeBody(change),
  };
}

function grantFromOptions(opts: RequestOptions): GrantFile {
  if (opts.duration !== undefined && opts.expiresAt !== undefined) {
    throw new InvalidInputError("bad-arguments", "give at most one of --duration and --expires-at");
  }
  const users = opts.user.map(parseRef) as UserRef[];
  const groups = opts.group.map(parseRef) as GroupRef[];
  const [firstResource, ...resources] = opts.resource.map(parseRef);
  if ((users.length === 0 && groups.length === 0) || firstResource === undefined) {
    throw new InvalidInputError("bad-arguments", "give at least one --user or --group, and one --resource");
  }
  return {
    version: 1,
    ...(users.length > 0 ? { users: users as [UserRef] } : {}),
    ...(groups.length > 0 ? { groups: groups as [GroupRef] } : {}),
    resources: [firstResource, ...resources] as [ResourceRef],
    ...(opts.org !== undefined ? { organization: opts.org } : {}),
    ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
    ...(opts.duration !== undefined ? { duration: opts.duration } : {}),
    ...(opts.expiresAt !== undefined ? { expiresAt: opts.expiresAt } : {}),
    ...(opts.startsAt !== undefined ? { startsAt: opts.startsAt } : {}),
    ...(opts.ticket !== undefined ? { ticket: opts.ticket } : {}),
    ...(opts.breakGlass ? { breakGlass: true } : {}),
  };
}

/** "grants alice@example.com, group oncall-sre → Jira" (the grantees and resources as written). */
function grantLine(grant: GrantFile): string {
  const text = (ref: string | { id: number }): string => (typeof ref === "string" ? ref : `id:${ref.id}`);
  const who = granteeItems((grant.users ?? []).map(text), (grant.groups ?? []).map(text));
  return `grants ${who.join(", ")} → ${grant.resources.map(text).join(", ")}\n`;
}

function header(now: Date): string {
  return [
    `Access request written by grantops request at ${now.toISOString().replace(/\.\d{3}Z$/, "Z")}.`,
    "Merging the pull request that adds this file is the approval; duration counts from when it lands.",
  ].join("\n");
}

function nextSteps(file: string, id: string): string {
  const branch = `grant/${id.replaceAll("/", "-")}`;
  return [
    `wrote ${file}`,
    "next:",
    `  git checkout -b ${branch}`,
    `  git add ${file}`,
    `  git commit -m "grant: ${id}"`,
    `  git push -u origin ${branch}   # then open a pull request for review`,
    "",
  ].join("\n");
}
