// The terminal view of an audit: one aligned row per interval, then the notes an auditor should read.
import { granteeItems } from "../report/grantee-items.js";
import type { AccessInterval } from "./audit-types.js";

const HEADERS = ["FROM", "UNTIL", "USERS", "RESOURCES", "GRANT", "REQUESTED BY", "APPROVED BY", "PR", "WHY"];

export function formatAuditTable(intervals: readonly AccessInterval[]): string {
  if (intervals.length === 0) return "no access intervals match\n";
  const rows = intervals.map(rowOf);
  const widths = HEADERS.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const render = (cells: string[]): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join("  ")
      .trimEnd();
  const lines = [render(HEADERS), ...rows.map(render)];
  const notes = notesOf(intervals);
  const count = `${intervals.length} interval${intervals.length === 1 ? "" : "s"}`;
  return `${[...lines, "", ...notes, count].join("\n")}\n`;
}

function rowOf(interval: AccessInterval, index: number): string[] {
  const mark = interval.notes.length > 0 ? ` [${index + 1}]` : "";
  return [
    interval.from ?? "(before journal)",
    untilOf(interval),
    list(granteeItems(interval.users, interval.groups)),
    list(interval.resources),
    `${interval.grantId ?? "?"}${mark}`,
    interval.requester ?? "?",
    approvedBy(interval),
    interval.pr === null ? "-" : `#${interval.pr}`,
    whyOf(interval),
  ];
}

function list(items: readonly string[]): string {
  return items.length === 0 ? "?" : items.join(", ");
}

/** The end, with why it ended; "live" while it exists, "gone (unrecorded)" when --live did not find it. */
export function untilOf(interval: AccessInterval): string {
  if (interval.until !== null) return `${interval.until} ${interval.endedBy ?? ""}`.trimEnd();
  return interval.live === false ? "gone (unrecorded)" : "live";
}

/** Approvers and mode: "bob-gh (review)", "trust-git, merged by X", "BREAK-GLASS (break-glass)". */
export function approvedBy(interval: AccessInterval): string {
  const mode = interval.approval;
  const merged = interval.mergedBy === null ? null : `merged by ${interval.mergedBy}`;
  const who =
    interval.approvers.length > 0
      ? `${interval.approvers.join(", ")} (${mode ?? "?"})`
      : [mode, merged].filter((part) => part !== null).join(", ") || "?";
  return interval.breakGlass ? `BREAK-GLASS ${who}` : who;
}

export function whyOf(interval: AccessInterval): string {
  const reason = interval.reason ?? "?";
  const ticket = interval.ticket;
  return ticket !== null && !reason.includes(ticket) ? `[${ticket}] ${reason}` : reason;
}

function notesOf(intervals: readonly AccessInterval[]): string[] {
  const lines: string[] = [];
  intervals.forEach((interval, index) => {
    for (const note of interval.notes) {
      lines.push(`[${index + 1}] ${interval.ruleName}${idOf(interval)}: ${note}`);
    }
  });
  return lines.length === 0 ? [] : [...lines, ""];
}

function idOf(interval: AccessInterval): string {
  return interval.ruleId === null ? "" : ` (rule ${interval.ruleId})`;
}
