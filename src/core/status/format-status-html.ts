// The status page (serve's GET /status): server-rendered HTML, no script, refreshes itself. Every string that
// comes from a file, a rule or a URL goes through escapeHtml; the only style is STATUS_PAGE_STYLE, which the
// server allows by its hash in the Content-Security-Policy.
import type {
  ActiveGrant,
  AttentionItem,
  ExpiryLag,
  OrganizationStatus,
  PendingGrant,
  RunSummary,
  StatusReport,
} from "../model/status-report.js";
import { granteeItems } from "../report/grantee-items.js";
import { formatTimeLeft } from "../time/format-time-left.js";
import { escapeHtml } from "./escape-html.js";

export const STATUS_PAGE_STYLE = [
  "body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1b1f24;background:#fff}",
  "h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.15rem;margin:1.6rem 0 .4rem}h3{font-size:1rem;margin:1rem 0 .3rem}",
  "table{border-collapse:collapse;width:100%;margin:.3rem 0}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #d8dee4;vertical-align:top}",
  "th{background:#f3f5f7;font-weight:600}.soon td{background:#fff4d6}.muted{color:#59636e}",
  ".ok{color:#1a7f37;font-weight:600}.bad{color:#cf222e;font-weight:600}.tag{font-size:.8rem;padding:0 .3rem;border:1px solid #d8dee4;border-radius:.3rem}",
  "a{color:#0969da}",
].join("");

export interface StatusPageOptions {
  /** The page reloads itself after this many seconds. */
  refreshSeconds: number;
}

export function formatStatusHtml(report: StatusReport, options: StatusPageOptions): string {
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="refresh" content="${Math.max(5, Math.round(options.refreshSeconds))}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    "<title>grantops status</title>",
    `<style>${STATUS_PAGE_STYLE}</style>`,
    "</head><body>",
    header(report),
    ...report.organizations.map((org) => organizationSection(org, report.withinSeconds)),
    runsSection(report),
    "</body></html>",
    "",
  ].join("\n");
}

function header(report: StatusReport): string {
  const health = report.health;
  const state =
    health === null
      ? ""
      : ` · <span class="${health.ready ? "ok" : "bad"}">${health.ready ? "ready" : "not ready"}</span>` +
        ` · vendor ${health.vendorReachable ? "reachable" : '<span class="bad">unreachable</span>'}` +
        ` · last success ${text(health.lastSuccessAt ?? "never")}`;
  const last = report.runs.last;
  const run = last === null ? "no run yet" : `last run ${text(last.finishedAt)} ${outcome(last.outcome)}`;
  return [
    "<h1>grantops status</h1>",
    `<p class="muted">at ${text(report.at)} · ${run} · next wake ${text(report.runs.nextWakeAt ?? "none")}${state}</p>`,
  ].join("\n");
}

function organizationSection(org: OrganizationStatus, withinSeconds: number): string {
  const commit = org.commit === null ? "" : ` · commit <code>${text(org.commit.slice(0, 12))}</code>`;
  const soon = new Set(org.expiringSoon);
  return [
    `<section><h2>${text(org.organization)} <span class="muted">(org ${org.orgId})</span></h2>`,
    `<p class="muted">planned at ${text(org.plannedAt)}${commit} · ${org.counts.managed} managed rules, ` +
      `${org.counts.tampered} tampered, ${org.counts.foreign} foreign when planned · ` +
      `${org.expiringSoon.length} expiring within ${text(formatTimeLeft(withinSeconds))}</p>`,
    `<h3>Active grants (${org.active.length})</h3>`,
    table(
      ["Time left", "Expires", "Grant", "Users", "Resources", "Reason", "PR", "State"],
      org.active.map((g) => activeRow(g, soon.has(g.grantId))),
      "No active grants.",
      "active",
    ),
    `<h3>Pending (${org.pending.length})</h3>`,
    table(
      ["Grant", "Why", "Starts", "Expires", "PR"],
      org.pending.map(pendingRow),
      "Nothing pending.",
      "pending",
    ),
    `<h3>Needs attention (${org.attention.length})</h3>`,
    table(
      ["Kind", "Rule", "Grant", "Detail"],
      org.attention.map(attentionRow),
      "Nothing needs attention.",
      "attention",
    ),
    "</section>",
  ].join("\n");
}

function activeRow(g: ActiveGrant, soon: boolean): string {
  const flag = g.breakGlass ? ' <span class="tag bad">break-glass</span>' : "";
  const cells = [
    `<td data-seconds-left="${g.secondsLeft}">${text(formatTimeLeft(g.secondsLeft))}</td>`,
    `<td>${text(g.expiresAt)}</td>`,
    `<td>${link(g.fileUrl, g.grantId)}${flag}</td>`,
    `<td>${list(granteeItems(g.users, g.groups))}</td>`,
    `<td>${list(g.resources)}</td>`,
    `<td class="reason">${text(g.reason)}</td>`,
    `<td>${g.pr === null ? "" : link(g.prUrl, `#${g.pr}`)}</td>`,
    `<td>${text(g.state)}</td>`,
  ];
  return `<tr${soon ? ' class="soon"' : ""}>${cells.join("")}</tr>`;
}

function pendingRow(p: PendingGrant): string {
  return row([
    link(p.fileUrl, p.grantId),
    `${text(p.kind)}: ${text(p.detail)}`,
    text(p.startsAt ?? ""),
    text(p.expiresAt ?? ""),
    p.pr === null ? "" : link(p.prUrl, `#${p.pr}`),
  ]);
}

function attentionRow(a: AttentionItem): string {
  return row([text(a.kind), text(a.ruleName ?? ""), text(a.grantId ?? ""), text(a.detail)]);
}

function runsSection(report: StatusReport): string {
  return [
    "<section><h2>Runs</h2>",
    table(
      ["Finished", "Outcome", "Created", "Deleted", "Failed", "Triggers", "Commit"],
      report.runs.recent.map(runRow),
      "No runs recorded.",
      "runs",
    ),
    "<h3>Recent expiries</h3>",
    table(
      ["Grant", "Expired", "Deleted", "Lag"],
      report.runs.expiryLags.map(lagRow),
      "No recent expiries.",
      "lags",
    ),
    "</section>",
  ].join("\n");
}

function runRow(r: RunSummary): string {
  return row([
    text(r.finishedAt),
    outcome(r.outcome),
    String(r.created),
    String(r.deleted),
    String(r.failed),
    text(r.reasons.join(", ")),
    `<code>${text((r.commit ?? "").slice(0, 12))}</code>`,
  ]);
}

function lagRow(l: ExpiryLag): string {
  return row([
    text(l.grantId ?? l.ruleName),
    text(l.expiresAt ?? ""),
    text(l.deletedAt),
    `${l.lagSeconds.toFixed(3)} s`,
  ]);
}

function table(headers: readonly string[], rows: readonly string[], empty: string, id: string): string {
  if (rows.length === 0) return `<p class="muted" id="${id}-empty">${text(empty)}</p>`;
  const head = headers.map((h) => `<th>${text(h)}</th>`).join("");
  return `<table id="${id}"><thead><tr>${head}</tr></thead><tbody>\n${rows.join("\n")}\n</tbody></table>`;
}

function row(cells: readonly string[]): string {
  return `<tr>${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`;
}

function outcome(value: string): string {
  return `<span class="${value === "success" ? "ok" : "bad"}">${text(value)}</span>`;
}

function list(values: readonly string[]): string {
  return values.map(text).join("<br>");
}

/** A link when the URL is an https URL, else the label alone. */
function link(url: string | null, label: string): string {
  if (url === null || !url.startsWith("https://")) return text(label);
  return `<a href="${text(url)}" rel="noreferrer noopener">${text(label)}</a>`;
}

const text = escapeHtml;
