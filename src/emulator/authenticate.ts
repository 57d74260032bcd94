import type { IncomingMessage } from "node:http";
import { EmulatorApiError } from "./emulator-api-error.js";
import type { SeedApiKey } from "./emulator-seed.js";
import type { EmulatorRuntime } from "./emulator-runtime.js";

/**
 * Resolves the bearer token of a request to its API key (401 "Authorization token is invalid." when missing,
 * unknown or expired) and checks the route's scope (403 "Not Authorized"). A ":write" scope also grants ":read".
 */
export function authenticate(runtime: EmulatorRuntime, req: IncomingMessage, scope: string): SeedApiKey {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  const keyName = match?.[1] === undefined ? undefined : runtime.tokens.resolve(match[1]);
  const apiKey = keyName === undefined ? undefined : runtime.state.apiKeys.find((key) => key.key === keyName);
  if (!apiKey) throw new EmulatorApiError(401, "Authorization token is invalid.");
  if (!hasScope(apiKey.scopes, scope)) throw new EmulatorApiError(403, "Not Authorized");
  return apiKey;
}

export function hasScope(scopes: string[], wanted: string): boolean {
  return (
    scopes.includes(wanted) ||
    (wanted.endsWith(":read") && scopes.includes(wanted.replace(/:read$/, ":write")))
  );
}
