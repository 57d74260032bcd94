// The spreadsheet view of an audit: RFC 4180 CSV (CRLF line ends, fields quoted when they hold a comma, a
// quote or a line break), a header row, lists joined with "; ". A cell that a spreadsheet would run as a
// formula (starting with =, +, -, @, tab or CR) gets a leading apostrophe. Columns added later go last.
import type { AccessInterval } from "./audit-types.js";

export const CSV_COLUMNS = [
  "from",
  "until",
  "endedBy",
  "live",
  "organization",
  "grantId",
  "ruleId",
  "ruleName",
  "users",
  "resources",
  "expiresAt",
  "version",
  "pr",
  "approval",
  "approvers",
  "requester",
  "mergedBy",
  "reason",
  "ticket",
  "breakGlass",
  "notes",
  "groups",
] as const satisfies ReadonlyArray<keyof AccessInterval>;

export function formatAuditCsv(intervals: readonly AccessInterval[]): string {
  const lines = [CSV_COLUMNS.join(","), ...intervals.map(csvRow)];
  return `${lines.join("\r\n")}\r\n`;
}

function csvRow(interval: AccessInterval): string {
  return CSV_COLUMNS.map((column) => csvField(textOf(interval[column]))).join(",");
}

function textOf(value: AccessInterval[keyof AccessInterval]): string {
  if (value === null) return "";
  if (Array.isArray(value)) return value.join("; ");
  return String(value);
}

/** One RFC 4180 field, defused against spreadsheet formulas. */
export function csvField(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
