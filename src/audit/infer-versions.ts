// For a rule the journal never recorded (found live in Secure Access), the grant version it was made from is
// taken to be the newest first-parent commit of the default branch that changed the grant file at or before
// the rule's creation.
import { checkGrantId } from "../core/validate/check-grant-id.js";
import { parseInstant } from "../core/time/instant.js";
import { createGit, type GitFactory } from "../git/git-env.js";
import { runGit } from "../git/git-error.js";
import { filePaths } from "./read-version-facts.js";
import type { AccessInterval } from "../core/audit/audit-types.js";

export const NOTE_VERSION_INFERRED =
  "version inferred from git: the last change to the grant file before the rule was created";

/** Fills `version` of intervals that lack one but have a grant and a start. */
export async function inferVersions(
  dir: string,
  branchCommit: string,
  intervals: readonly AccessInterval[],
  git: GitFactory = createGit,
): Promise<AccessInterval[]> {
  return Promise.all(
    intervals.map(async (interval) => {
      const { grantId, from } = interval;
      if (interval.version !== null || grantId === null || from === null) return interval;
      if (checkGrantId(grantId) !== null) return interval;
      const seconds = Math.floor((parseInstant(from) ?? 0) / 1000);
      const output = await runGit(`git log ${branchCommit}`, () =>
        git(dir).raw([
          "log",
          "--first-parent",
          "-1",
          "--format=%H",
          `--until=@${seconds}`,
          branchCommit,
          "--",
          ...filePaths(grantId),
        ]),
      );
      const version = output.trim();
      if (version === "") return interval;
      return { ...interval, version, notes: [...interval.notes, NOTE_VERSION_INFERRED] };
    }),
  );
}
