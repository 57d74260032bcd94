import { compareText } from "../core/model/compare-text.js";
import { inertCode, inertMarkdown } from "../core/report/inert-markdown.js";
import { STATUS_END, STATUS_START } from "../github/sticky-comment.js";

export interface GrantStatusEntry {
  grantId: string;
  status: "granted" | "revoked" | "expired" | "not-granted";
  /** The Secure Access rule id (granted, revoked, expired). */
  ruleId?: number | string;
  /** When it happened (RFC 3339). */
  at: string;
  /** Seconds between when it should have happened and when it did (expiry → deletion, merge → rule). */
  lagSeconds?: number;
  reason?: string;
}

const MAX_CELL = 300;
const DATA_PREFIX = "<!-- grantops:status:data ";
/** Keeps the status block (table and hidden data) near 30,000 characters; the plan part gets the rest. */
const MAX_TABLE_CHARS = 12_000;

const LABEL: Record<GrantStatusEntry["status"], string> = {
  granted: "✅ granted",
  revoked: "🔒 revoked",
  expired: "⌛ expired",
  "not-granted": "⛔ not granted",
};

/**
 * The status block of the sticky comment: a table of each grant's life (granted, revoked, expired, not granted),
 * with the entries also stored as hidden data so later updates can merge into it.
 */
export function renderStatusSection(entries: readonly GrantStatusEntry[]): string {
  const shown = newestWithin(entries.map(trimEntry), MAX_TABLE_CHARS).sort((a, b) =>
    compareText(a.grantId, b.grantId),
  );
  const more =
    entries.length > shown.length ? ["", `… and ${entries.length - shown.length} older entries`] : [];
  const data = `${DATA_PREFIX}${Buffer.from(JSON.stringify(shown)).toString("base64url")} -->`;
  return [
    STATUS_START,
    "### Access status",
    "",
    "| Grant | Status | Rule | At | Lag | Note |",
    "|---|---|---|---|---|---|",
    ...shown.map(row),
    ...more,
    data,
    STATUS_END,
  ].join("\n");
}

function row(e: GrantStatusEntry): string {
  const rule = e.ruleId === undefined ? "" : cell(String(e.ruleId));
  const lag = e.lagSeconds === undefined ? "" : formatLag(e.lagSeconds);
  return `| ${inertCode(e.grantId.slice(0, MAX_CELL))} | ${LABEL[e.status]} | ${rule} | ${cell(e.at)} | ${lag} | ${cell(e.reason ?? "")} |`;
}

function trimEntry(entry: GrantStatusEntry): GrantStatusEntry {
  return entry.reason === undefined ? entry : { ...entry, reason: entry.reason.slice(0, MAX_CELL) };
}

/** The most recent entries (by `at`) whose rows fit in `budget` characters. */
function newestWithin(entries: readonly GrantStatusEntry[], budget: number): GrantStatusEntry[] {
  const newest = [...entries].sort((a, b) => (a.at > b.at ? -1 : a.at < b.at ? 1 : 0));
  const kept: GrantStatusEntry[] = [];
  let used = 0;
  for (const entry of newest) {
    used += row(entry).length + 1;
    if (used > budget) break;
    kept.push(entry);
  }
  return kept;
}

/** The entries stored in a status block ([] when there is none or it cannot be read). */
export function parseStatusEntries(block: string): GrantStatusEntry[] {
  const start = block.indexOf(DATA_PREFIX);
  if (start < 0) return [];
  const end = block.indexOf(" -->", start);
  try {
    const json = Buffer.from(block.slice(start + DATA_PREFIX.length, end), "base64url").toString("utf8");
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter(isEntry) : [];
  } catch {
    return [];
  }
}

/** Entries of `next` replace those of `previous` with the same grant id. */
export function mergeStatusEntries(
  previous: readonly GrantStatusEntry[],
  next: readonly GrantStatusEntry[],
): GrantStatusEntry[] {
  const byId = new Map(previous.map((entry) => [entry.grantId, entry]));
  for (const entry of next) byId.set(entry.grantId, entry);
  return [...byId.values()];
}

export function formatLag(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

function cell(text: string): string {
  return inertMarkdown(text.slice(0, MAX_CELL));
}

function isEntry(value: unknown): value is GrantStatusEntry {
  const entry = value as Partial<GrantStatusEntry> | null;
  return (
    typeof entry === "object" &&
    entry !== null &&
    typeof entry.grantId === "string" &&
    typeof entry.at === "string" &&
    typeof entry.status === "string" &&
    entry.status in LABEL
  );
}
