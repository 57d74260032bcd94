/**
 * "owner/name" of a GitHub remote URL (https://github.com/acme/grants.git, git@github.com:acme/grants.git,
 * ssh://git@github.com/acme/grants), or null when the URL does not look like one (a local path, another layout).
 */
export function repositoryOfRemoteUrl(url: string): string | null {
  const match =
    /^(?:https?|ssh|git):\/\/(?:[^@/\s]+@)?[^/\s]+\/([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/i.exec(url) ??
    /^[^@/\s:]+@[^/\s:]+:\/?([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/.exec(url);
  if (match === null || match[1] === undefined || match[2] === undefined) return null;
  return `${match[1]}/${match[2]}`;
}
