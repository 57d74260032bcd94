// Links to a grant's file (at its landing commit) and its pull request on GitHub.

export interface GitHubLinks {
  file(commit: string, path: string): string | null;
  pullRequest(pr: number | null): string | null;
}

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const COMMIT = /^[0-9a-f]{7,64}$/;

/** Links into `owner/name` on github.com; every link is null when the repository is unknown or malformed. */
export function githubLinks(repository: string | null): GitHubLinks {
  if (repository === null || !REPOSITORY.test(repository)) {
    return { file: () => null, pullRequest: () => null };
  }
  const base = `https://github.com/${repository}`;
  return {
    file: (commit, path) =>
      COMMIT.test(commit)
        ? `${base}/blob/${commit}/${path.split("/").map(encodeURIComponent).join("/")}`
        : null,
    pullRequest: (pr) => (pr !== null && Number.isSafeInteger(pr) && pr > 0 ? `${base}/pull/${pr}` : null),
  };
}
