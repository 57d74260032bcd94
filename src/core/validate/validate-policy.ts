import { parseDuration } from "../time/duration.js";
import type { Locate } from "./validate-grant.js";
import type { PolicyFile, Problem } from "../model/types.js";
import { confusableReason, describeConfusable } from "./confusable-text.js";

/** The checks beyond the schema for policy.yaml: every duration parses; auto-approve caps fit the caps. */
export function validatePolicy(policy: PolicyFile, file: string, locate: Locate): Problem[] {
  const problems: Problem[] = [];
  const report = (
    severity: Problem["severity"],
    code: string,
    path: Array<string | number>,
    message: string,
  ): void => {
    const { line, column } = locate(path);
    problems.push({ severity, code, file, line, column, message });
  };
  for (const [path, text] of durationFields(policy)) {
    if (parseDuration(text) === null) {
      report(
        "error",
        "duration-invalid",
        path,
        `${path.join(".")} "${text}" is not a positive duration of at most 10 years (90s, 30m, 4h, 2d, PT4H)`,
      );
    }
  }
  checkAutoApproveCaps(policy, report);
  checkConfusableIdentities(policy, report);
  checkNotifySinks(policy, report);
  return problems;
}

const PRINCIPAL_LISTS = new Set(["approvers", "requesters", "notify"]);

/**
 * Who approves, who may request and who is notified must be exactly who they look like: an invisible character or
 * mixed scripts in the people map or a principal list is an error.
 */
function checkConfusableIdentities(
  policy: PolicyFile,
  report: (
    severity: Problem["severity"],
    code: string,
    path: Array<string | number>,
    message: string,
  ) => void,
): void {
  const check = (text: string, path: Array<string | number>, what: string): void => {
    const reason = confusableReason(text);
    if (reason !== null)
      report(
        "error",
        "confusable-identity",
        path,
        `${what} ${describeConfusable(text, reason)}: identities must be unambiguous`,
      );
  };
  for (const [login, email] of Object.entries(policy.people ?? {})) {
    check(login, ["people", login], "people key");
    if (typeof email === "string") check(email, ["people", login], `people.${login}`);
  }
  const walk = (value: unknown, path: Array<string | number>): void => {
    if (Array.isArray(value)) {
      const key = path.at(-1);
      value.forEach((item, index) => {
        if (typeof item === "string" && typeof key === "string" && PRINCIPAL_LISTS.has(key))
          check(item, [...path, index], `${path.join(".")}[${index}]`);
        else walk(item, [...path, index]);
      });
    } else if (typeof value === "object" && value !== null) {
      for (const [key, child] of Object.entries(value)) if (key !== "people") walk(child, [...path, key]);
    }
  };
  walk(policy, []);
}

function durationFields(policy: PolicyFile): Array<[Array<string | number>, string]> {
  const fields: Array<[Array<string | number>, string]> = [];
  const add = (path: Array<string | number>, text: string | undefined): void => {
    if (text !== undefined) fields.push([path, text]);
  };
  add(["defaults", "maxDuration"], policy.defaults?.maxDuration);
  add(["defaults", "autoApprove", "maxDuration"], policy.defaults?.autoApprove?.maxDuration);
  (policy.resources ?? []).forEach((entry, index) => {
    add(["resources", index, "maxDuration"], entry.maxDuration);
    add(["resources", index, "autoApprove", "maxDuration"], entry.autoApprove?.maxDuration);
  });
  add(["breakGlass", "maxDuration"], policy.breakGlass?.maxDuration);
  add(["notify", "remindBefore"], policy.notify?.remindBefore);
  return fields;
}

/** The same receiver twice would get every message twice. */
function checkNotifySinks(policy: PolicyFile, report: Report): void {
  const seen = new Set<string>();
  (policy.notify?.sinks ?? []).forEach((sink, index) => {
    const key = `${sink.type}:${sink.urlEnv}`;
    if (seen.has(key)) {
      report("error", "notify-sink-duplicate", ["notify", "sinks", index], `notify.sinks lists ${key} twice`);
    }
    seen.add(key);
  });
}

type Report = (
  severity: Problem["severity"],
  code: string,
  path: Array<string | number>,
  message: string,
) => void;

function checkAutoApproveCaps(policy: PolicyFile, report: Report): void {
  const defaultCap = parseOptional(policy.defaults?.maxDuration);
  const check = (path: Array<string | number>, auto: string | undefined, cap: number | null): void => {
    const autoMs = parseOptional(auto);
    if (autoMs !== null && cap !== null && autoMs > cap) {
      report(
        "warning",
        "auto-approve-over-cap",
        [...path, "autoApprove", "maxDuration"],
        `autoApprove.maxDuration ${auto} is longer than the maxDuration that applies; the shorter one wins`,
      );
    }
  };
  check(["defaults"], policy.defaults?.autoApprove?.maxDuration, defaultCap);
  (policy.resources ?? []).forEach((entry, index) => {
    check(
      ["resources", index],
      entry.autoApprove?.maxDuration,
      parseOptional(entry.maxDuration) ?? defaultCap,
    );
  });
}

function parseOptional(text: string | undefined): number | null {
  return text === undefined ? null : parseDuration(text);
}
