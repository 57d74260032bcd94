// What git says about grant versions, read at their landing commits (never from a working tree): the grant
// file's `reason` and `ticket`, who wrote that version (the requester) and who put it on the default branch.
import { parseDocument } from "yaml";
import { checkGrantId } from "../core/validate/check-grant-id.js";
import { versionKey } from "../core/audit/audit-enrich.js";
import { createGit, type GitFactory } from "../git/git-env.js";
import { runGit } from "../git/git-error.js";
import { catObjects, type GitObject } from "../git/cat-objects.js";
import type { VersionFacts } from "../core/audit/audit-types.js";

export interface VersionRef {
  commit: string;
  grantId: string;
}

interface CommitInfo {
  parents: number;
  author: string | null;
  committer: string | null;
}

/**
 * Facts for every readable version, keyed by versionKey(commit, grantId). One `git cat-file --batch` for all
 * commits and files, plus one `git log` per version landed by a merge commit (to find the feature commit's
 * author). A commit the repository lacks yields no entry.
 */
export async function readVersionFacts(
  dir: string,
  refs: readonly VersionRef[],
  git: GitFactory = createGit,
): Promise<Map<string, VersionFacts>> {
  const wanted = uniqueRefs(refs);
  const commits = [...new Set(wanted.map((ref) => ref.commit))];
  const names = [
    ...commits,
    ...wanted.flatMap((ref) => filePaths(ref.grantId).map((p) => `${ref.commit}:${p}`)),
  ];
  const objects = await catObjects(dir, names);
  const info = new Map(commits.map((commit, index) => [commit, parseCommit(objects[index] ?? null)]));
  const facts = new Map<string, VersionFacts>();
  await Promise.all(
    wanted.map(async (ref, index) => {
      const commit = info.get(ref.commit);
      if (commit === undefined || commit === null) return;
      const at = commits.length + index * 2;
      const file = objects[at] ?? objects[at + 1] ?? null;
      const requester = commit.parents > 1 ? await changeAuthor(dir, ref, git) : commit.author;
      facts.set(versionKey(ref.commit, ref.grantId), {
        ...fileFields(file),
        requester,
        mergedBy: commit.parents > 1 ? commit.author : commit.committer,
      });
    }),
  );
  return facts;
}

function uniqueRefs(refs: readonly VersionRef[]): VersionRef[] {
  const byKey = new Map<string, VersionRef>();
  for (const ref of refs) {
    if (/^[0-9a-f]{7,64}$/.test(ref.commit) && checkGrantId(ref.grantId) === null) {
      byKey.set(versionKey(ref.commit, ref.grantId), ref);
    }
  }
  return [...byKey.values()];
}

/** Where a grant's file lives: grants/<id>.yaml, or .yml. */
export function filePaths(grantId: string): [string, string] {
  return [`grants/${grantId}.yaml`, `grants/${grantId}.yml`];
}

function parseCommit(object: GitObject | null): CommitInfo | null {
  if (object === null || object.type !== "commit") return null;
  const header = object.bytes.toString("utf8").split("\n\n")[0] ?? "";
  const lines = header.split("\n");
  return {
    parents: lines.filter((line) => line.startsWith("parent ")).length,
    author: person(lines, "author "),
    committer: person(lines, "committer "),
  };
}

/** "author Name <email> 1700000000 +0000" → "Name <email>". */
function person(lines: string[], prefix: string): string | null {
  const line = lines.find((candidate) => candidate.startsWith(prefix));
  const match = line === undefined ? null : /^(.*>)\s+\d+\s+[+-]\d{4}$/.exec(line.slice(prefix.length));
  return match?.[1] ?? null;
}

/** The author of the newest commit reachable from the merge that changed the file (the PR's commit). */
async function changeAuthor(dir: string, ref: VersionRef, git: GitFactory): Promise<string | null> {
  const output = await runGit(`git log ${ref.commit}`, () =>
    git(dir).raw(["log", "-1", "--format=%an <%ae>", ref.commit, "--", ...filePaths(ref.grantId)]),
  );
  const author = output.trim();
  return author === "" ? null : author;
}

function fileFields(file: GitObject | null): Pick<VersionFacts, "reason" | "ticket"> {
  if (file === null || file.type !== "blob") return { reason: null, ticket: null };
  try {
    const data: unknown = parseDocument(file.bytes.toString("utf8")).toJS({ maxAliasCount: 10 });
    const record = typeof data === "object" && data !== null ? (data as Record<string, unknown>) : {};
    return { reason: text(record["reason"]), ticket: text(record["ticket"]) };
  } catch {
    return { reason: null, ticket: null };
  }
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
