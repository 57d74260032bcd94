/** Removes credentials from every URL in a text: "https://user:token@host/x" → "https://***@host/x". */
export function redactUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, "$1***@");
}

/** True when `repo` is a clone URL (scheme://… or scp-like user@host:path) rather than a local path. */
export function isRemoteUrl(repo: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(repo) || /^[^/\\\s@]+@[^/\\\s:]+:/.test(repo);
}
