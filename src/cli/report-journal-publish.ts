import type { PublishReport } from "../journal/publish-journal.js";
import type { CliContext } from "./cli-context.js";

/** One line on stderr about the journal branch: what was published, or that entries are still pending (exit 6). */
export function reportJournalPublish(
  ctx: CliContext,
  report: PublishReport | undefined,
  branch: string | null,
): void {
  if (report === undefined || !report.branch) return;
  if (report.error !== null) {
    ctx.stderr(
      `grantops: error: ${report.pending} journal ${report.pending === 1 ? "entry" : "entries"} not published to ` +
        `${branch ?? "the journal branch"} (kept in the local journal; the next run publishes them): ` +
        `${report.error.message} [${report.error.code}]\n`,
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
