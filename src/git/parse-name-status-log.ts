// An incremental parser of `git log -z --name-status --format=format:%x01%H%x09%ct` output, fed chunk by
// chunk as git writes it, so a reader can stop git as soon as it knows enough (see landingTimes).
import type { LoggedCommit } from "../core/history/last-changes.js";

export interface NameStatusLogParser {
  /** Parses the complete records of `chunk` (and of earlier partial input); false once onCommit said stop. */
  push(chunk: Buffer): boolean;
  /** Parses what is left at the end of the output. */
  end(): void;
}

/**
 * The output is NUL-separated tokens: a header "\x01<sha>\t<seconds>\n" glued to the first status
 * letter, then path, status, path, …, and an empty token after a commit's last path. `onCommit` gets each
 * commit once its changes are complete and returns true to stop: the rest of the input is then ignored.
 */
export function createNameStatusLogParser(onCommit: (commit: LoggedCommit) => boolean): NameStatusLogParser {
  let pending: Buffer[] = [];
  let current: LoggedCommit | null = null;
  let status: string | null = null;
  let stopped = false;

  const emit = (): void => {
    if (current !== null && !stopped) stopped = onCommit(current);
    current = null;
  };
  const token = (text: string): void => {
    if (stopped) return;
    if (status !== null) {
      current?.changes.push({ path: text, deleted: status === "D" });
      status = null;
    } else if (text.startsWith("\x01")) {
      emit();
      const newline = text.indexOf("\n");
      current = parseHeader(newline < 0 ? text.slice(1) : text.slice(1, newline));
      if (newline >= 0 && newline + 1 < text.length) status = text.slice(newline + 1);
    } else if (text === "") {
      emit();
    } else {
      status = text;
    }
  };

  return {
    push(chunk) {
      let start = 0;
      for (let nul = chunk.indexOf(0, start); nul >= 0 && !stopped; nul = chunk.indexOf(0, start)) {
        const piece = chunk.subarray(start, nul);
        const bytes = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
        pending = [];
        token(bytes.toString("utf8"));
        start = nul + 1;
      }
      if (!stopped && start < chunk.length) pending.push(chunk.subarray(start));
      return !stopped;
    },
    end() {
      if (pending.length > 0) token(Buffer.concat(pending).toString("utf8"));
      pending = [];
      emit();
    },
  };
}

function parseHeader(text: string): LoggedCommit {
  const [sha = "", seconds = ""] = text.split("\t");
  return { sha, seconds: Number(seconds), changes: [] };
}
