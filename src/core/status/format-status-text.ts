// The status for terminals: per organization, active grants sorted by time left, pending grants, what expires
// soon and what needs attention; then the runs. Text from grant files is printed without control characters.
import type {
  ActiveGrant,
  AttentionItem,
  OrganizationStatus,
  PendingGrant,
  RunSummary,
  StatusReport,
} from "../model/status-report.js";
import { granteeItems } from "../report/grantee-items.js";
import { formatTimeLeft } from "../time/format-time-left.js";

export function formatStatusText(report: StatusReport): string {
  const lines = [
    `grantops status at ${report.at} (from ${report.source === "serve" ? "serve's last run" : "the repository and the live rules"})`,
  ];
  for (const org of report.organizations) lines.push("", ...organizationLines(org, report.withinSeconds));
  lines.push("", ...runLines(report));
  return lines.join("\n") + "\n";
}

function organizationLines(org: OrganizationStatus, withinSeconds: number): string[] {
  const commit = org.commit === null ? "no commit" : `commit ${org.commit.slice(0, 12)}`;
  const lines = [`${clean(org.organization)} (org ${org.orgId}), ${commit}, planned at ${org.plannedAt}`];
  lines.push(`Active grants (${org.active.length}):`);
  lines.push(...(org.active.length === 0 ? ["  none"] : table(activeRows(org.active))));
  const soon = org.expiringSoon.map(clean).join(", ");
  lines.push(`Expiring within ${formatTimeLeft(withinSeconds)}: ${soon === "" ? "none" : soon}`);
  lines.push(`Pending (${org.pending.length}):`);
  lines.push(...(org.pending.length === 0 ? ["  none"] : table(pendingRows(org.pending))));
  lines.push(`Needs attention (${org.attention.length}):`);
  lines.push(...(org.attention.length === 0 ? ["  none"] : org.attention.map(attentionLine)));
  const { managed, tampered, foreign } = org.counts;
  lines.push(`Rules when planned: ${managed} managed, ${tampered} tampered, ${foreign} foreign`);
  return lines;
}

function activeRows(active: readonly ActiveGrant[]): string[][] {
  return [
    ["TIME LEFT", "EXPIRES", "GRANT", "USERS", "RESOURCES", "STATE", "PR", "REASON"],
    ...active.map((g) => [
      formatTimeLeft(g.secondsLeft),
      g.expiresAt,
      clean(g.grantId) + (g.breakGlass ? " (BREAK-GLASS)" : ""),
      granteeItems(g.users, g.groups).map(clean).join(", ") || "?",
      g.resources.map(clean).join(", ") || "?",
      g.state,
      g.pr === null ? "" : `#${g.pr}`,
      clean(g.reason),
    ]),
  ];
}

function pendingRows(pending: readonly PendingGrant[]): string[][] {
  return [
    ["KIND", "GRANT", "STARTS", "DETAIL", "PR"],
    ...pending.map((p) => [
      p.kind,
      clean(p.grantId),
      p.startsAt ?? "",
      clean(p.detail),
      p.pr === null ? "" : `#${p.pr}`,
    ]),
  ];
}

function attentionLine(item: AttentionItem): string {
  const rule = item.ruleName === null ? "" : ` rule ${clean(item.ruleName)}`;
  const grant = item.grantId === null ? "" : ` grant ${clean(item.grantId)}`;
  return `  ! ${item.kind}:${rule}${grant} ${clean(item.detail)}`.replace(/ +$/, "");
}

function runLines(report: StatusReport): string[] {
  const { last, nextWakeAt, expiryLags } = report.runs;
  const lines = [`Last run: ${last === null ? "unknown (no serve status)" : runLine(last)}`];
  lines.push(`Next wake: ${nextWakeAt ?? "none"}`);
  if (report.health !== null) {
    const h = report.health;
    lines.push(
      `Health: ${h.ready ? "ready" : "NOT READY"}, last success ${h.lastSuccessAt ?? "never"}, vendor ${h.vendorReachable ? "reachable" : "UNREACHABLE"}`,
    );
  }
  lines.push(`Recent expiries (${expiryLags.length}):`);
  lines.push(
    ...(expiryLags.length === 0
      ? ["  none"]
      : expiryLags.map(
          (l) =>
            `  - ${clean(l.grantId ?? l.ruleName)}  expired ${l.expiresAt ?? "?"}  lag ${l.lagSeconds.toFixed(3)} s`,
        )),
  );
  return lines;
}

function runLine(run: RunSummary): string {
  return `${run.finishedAt} ${run.outcome} (${run.created} created, ${run.deleted} deleted, ${run.failed} failed; ${run.reasons.join(", ")})`;
}

/** Aligned columns, two spaces apart, indented by two. */
function table(rows: readonly string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length))) ?? [];
  return rows.map((row) => `  ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ")}`.trimEnd());
}

/** Text from files and rules without control characters (no terminal escape sequences). */
function clean(text: string): string {
  return text.replace(/\p{Cc}/gu, "?");
}
