/** The folder of the journal branch that holds the month files. */
export const JOURNAL_FOLDER = "journal";

/**
 * The file of the journal branch an entry is appended to: the month of its time (`journal/2026-03.jsonl`), but
 * never a file before `last`, the newest file on the branch, so that the chain (files in name order, lines in
 * order) is the publish order: an entry left over from an earlier month lands in the newest file.
 */
export function journalFileOf(time: string, last: string | null): string {
  const month = /^\d{4}-\d{2}/.exec(time)?.[0] ?? "0000-00";
  const file = `${JOURNAL_FOLDER}/${month}.jsonl`;
  return last !== null && last > file ? last : file;
}
