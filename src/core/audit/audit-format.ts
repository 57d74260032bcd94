// Renders an audit's intervals as a table (terminals), JSON (`{"version":1,"intervals":[...]}`) or CSV.
import { formatAuditCsv } from "./audit-format-csv.js";
import { formatAuditTable } from "./audit-format-table.js";
import type { AccessInterval } from "./audit-types.js";

export const AUDIT_FORMATS = ["table", "json", "csv"] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export function isAuditFormat(text: string): text is AuditFormat {
  return (AUDIT_FORMATS as readonly string[]).includes(text);
}

export function formatAudit(intervals: readonly AccessInterval[], format: AuditFormat): string {
  if (format === "json") return `${JSON.stringify({ version: 1, intervals }, null, 2)}\n`;
  if (format === "csv") return formatAuditCsv(intervals);
  return formatAuditTable(intervals);
}
