// Publishing the journal: the entries pending in the local file (the write-ahead log) are appended to the journal
// branch of the grants repository, chained, in one commit and one push; a push refused because another writer
// published first is retried from a fresh fetch (bounded, with jitter). See docs/git-and-apply.md.
import pRetry from "p-retry";
import { chainPending, type ChainedLines } from "../core/journal/chain-pending.js";
import { readChain, type ChainFile } from "../core/journal/read-chain.js";
import { errorMessage } from "../core/model/error-message.js";
import { createGit, type GitFactory } from "../git/git-env.js";
import type { Logger } from "../observability/create-logger.js";
import { commitJournalFiles } from "./commit-journal-files.js";
import { fetchJournalBranch } from "./fetch-journal-branch.js";
import type { JournalTarget } from "./journal-target.js";
import { readPendingEntries, writePublishedMark, type PendingEntries } from "./pending-entries.js";
import { JournalConflictError, pushJournalCommit } from "./push-journal-commit.js";
import { readJournalFiles } from "./read-journal-files.js";

/** What one publish did. */
export interface PublishReport {
  /** false: the repository has no remote to push to; the journal stays in the local file. */
  branch: boolean;
  /** Entries appended to the branch. */
  published: number;
  /** Entries that were already on the branch (a publish that died before moving its mark). */
  alreadyThere: number;
  /** Successful creates recorded as `adopted` because their rule already had a create on the branch. */
  adopted: number;
  /** Entries left pending in the local file (the next run publishes them); > 0 only with `error`. */
  pending: number;
  /** Pushes attempted (1 unless another writer published in between). */
  pushes: number;
  /** Why entries are still pending, or null. */
  error: { code: string; message: string } | null;
}

export interface JournalPublisher {
  /** Publishes what is pending; never throws (a failure is in the report, and the entries stay pending). */
  publish(): Promise<PublishReport>;
}

export interface JournalPublisherOptions {
  /** The local journal file (the write-ahead log). */
  journalPath: string;
  /** The journal branch to publish to, or null (resolved at the first publish). */
  target: () => Promise<JournalTarget | null>;
  logger: Logger;
  /** Attempts after a refused push (default 4: five pushes at most). */
  retries?: number;
  /** Shortest wait before a retry, in ms (default 100; each retry waits up to twice as long, randomised). */
  minRetryMs?: number;
  git?: GitFactory;
}

const LOCAL_ONLY: PublishReport = {
  branch: false,
  published: 0,
  alreadyThere: 0,
  adopted: 0,
  pending: 0,
  pushes: 0,
  error: null,
};

export function createJournalPublisher(options: JournalPublisherOptions): JournalPublisher {
  let target: Promise<JournalTarget | null> | null = null;
  return {
    async publish() {
      let pending: PendingEntries | null = null;
      try {
        target ??= options.target();
        const resolved = await target;
        if (resolved === null) return LOCAL_ONLY;
        pending = await readPendingEntries(options.journalPath);
        for (const line of pending.skipped)
          options.logger.warn(`${line}: skipped an unreadable journal line`);
        const report = await publishPending(resolved, pending, options);
        await writePublishedMark(options.journalPath, pending.end);
        return report;
      } catch (error) {
        target = null;
        const code =
          typeof (error as { code?: unknown }).code === "string"
            ? (error as { code: string }).code
            : "journal-publish";
        const message = `the journal could not be published: ${errorMessage(error)}`;
        options.logger.error({ err: error }, message);
        return {
          ...LOCAL_ONLY,
          branch: true,
          pending: pending?.entries.length ?? 0,
          error: { code, message },
        };
      }
    },
  };
}

async function publishPending(
  target: JournalTarget,
  pending: PendingEntries,
  options: JournalPublisherOptions,
): Promise<PublishReport> {
  const git = options.git ?? createGit;
  let pushes = 0;
  if (pending.entries.length === 0) return { ...LOCAL_ONLY, branch: true };
  const chained = await pRetry(
    async () => {
      const tip = await fetchJournalBranch(target, git);
      const files = await readJournalFiles(target.dir, tip, git);
      const lines = chainPending(readChain(files), pending.entries);
      if (lines.count === 0) return lines;
      const commit = await commitJournalFiles(
        target.dir,
        { parent: tip, files: appended(files, lines), message: commitMessage(lines, pending) },
        git,
      );
      pushes++;
      await pushJournalCommit(target, commit, git);
      return lines;
    },
    {
      retries: options.retries ?? 4,
      minTimeout: options.minRetryMs ?? 100,
      factor: 2,
      randomize: true,
      shouldRetry: ({ error }) => error instanceof JournalConflictError,
      onFailedAttempt: ({ error, retriesLeft }) => {
        if (error instanceof JournalConflictError && retriesLeft > 0) {
          options.logger.info({ retriesLeft }, "the journal branch moved: fetching again");
        }
      },
    },
  );
  return {
    branch: true,
    published: chained.count,
    alreadyThere: chained.alreadyThere,
    adopted: chained.adopted,
    pending: 0,
    pushes,
    error: null,
  };
}

/** The new text of each file that gets lines: what the branch has, then the new lines. */
function appended(files: readonly ChainFile[], lines: ChainedLines): Map<string, string> {
  const texts = new Map(files.map((file) => [file.path, file.text]));
  const changed = new Map<string, string>();
  for (const [path, added] of lines.appends) {
    const before = texts.get(path) ?? "";
    const separator = before === "" || before.endsWith("\n") ? "" : "\n";
    changed.set(path, `${before}${separator}${added.join("\n")}\n`);
  }
  return changed;
}

function commitMessage(lines: ChainedLines, pending: PendingEntries): string {
  const writers = [
    ...new Set(pending.entries.map((entry) => entry["writer"]).filter((w) => typeof w === "string")),
  ];
  return `journal: ${lines.count} ${lines.count === 1 ? "entry" : "entries"}\n\nwriter: ${writers.join(", ") || "unknown"}\n`;
}
