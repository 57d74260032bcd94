// Grant ids come from paths: grants/payments/alice-jira.yaml → payments/alice-jira.
import { inertTerminal } from "../report/inert-terminal.js";

const GRANT_FILE = /^grants\/([\s\S]+)\.ya?ml$/;
const VALID_ID = /^[a-z0-9._/-]+$/;
export const MAX_GRANT_ID_LENGTH = 100;

/** The grant id of a repository path, or null when the path is not a grant file (or lies in grants/expired/). */
export function grantIdFromPath(file: string): string | null {
  if (file.startsWith("grants/expired/")) return null;
  const match = GRANT_FILE.exec(file);
  return match?.[1] ?? null;
}

/** Why a grant id is not acceptable, or null when it is (the id shown with invisible characters escaped). */
export function checkGrantId(raw: string): string | null {
  if (raw.length > MAX_GRANT_ID_LENGTH) {
    return `grant id "${inertTerminal(raw)}" is ${raw.length} characters long; at most ${MAX_GRANT_ID_LENGTH} are allowed`;
  }
  if (!VALID_ID.test(raw)) {
    return `grant id "${inertTerminal(raw)}" (from the file path) may only contain lowercase letters, digits, ".", "_", "-" and "/"`;
  }
  const id = raw; // only printable ASCII from here on: nothing to escape
  if (id.startsWith("expired/")) {
    return `grant id "${id}" lies in grants/expired/, which is never reconciled; choose an id outside expired/`;
  }
  if (id.split("/").some((segment) => segment === "" || segment === "." || segment === "..")) {
    return `grant id "${id}" has an empty or dot-only path segment`;
  }
  return null;
}
