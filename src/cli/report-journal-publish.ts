import type { PublishReport } from "../journal/publish-journal.js";
import type { CliContext } from "./cli-context.js";

/**
 * One line on stderr about the journal branch: what was published, or that entries are still pending (exit 6) and
 * where. On a GitHub Actions runner the local journal goes with the runner, so the line says how the next run gets
 * it (docs/serve-and-workflows.md#journal-leftovers-in-github-actions).
 */
export function reportJournalPublish(
  ctx: CliContext,
  report: PublishReport | undefined,
  branch: string | null,
  journalPath: string,
): void {
  if (report === undefined || !report.branch) return;
  if (report.error !== null) {
    const next =
      ctx.env["GITHUB_ACTIONS"] === "true"
        ? `kept in ${journalPath}, which this runner does not keep: the next run publishes them when the workflow ` +
          `restores that file (the example workflows carry it over with actions/cache, and upload it as an ` +
          `artifact when the run failed)`
        : `kept in the local journal ${journalPath}; the next run publishes them`;
    ctx.stderr(
      `grantops: error: ${report.pending} journal ${report.pending === 1 ? "entry" : "entries"} not published to ` +
        `${branch ?? "the journal branch"} (${next}): ${report.error.message} [${report.error.code}]\n`,
    );
    return;
  }
  if (report.published > 0 || report.adopted > 0) {
    const adopted = report.adopted > 0 ? `, ${report.adopted} recorded as adopted` : "";
    ctx.stderr(
      `grantops: journal: ${report.published} entries published to ${branch ?? "the journal branch"}${adopted}\n`,
    );
  }
}
