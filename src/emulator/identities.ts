import type { Identity } from "../core/model/secure-access-types.js";
import { EmulatorApiError } from "./emulator-api-error.js";
import type { EmulatorState } from "./emulator-state.js";
import { parsePaging } from "./paging.js";

/**
 * GET /reports/v2/identities: `limit` required (1..5000), `offset`, `search` (the `%` wildcards stripped,
 * case-insensitive substring of the label), `identitytypes` (comma list of type names). Deleted identities are
 * listed (flagged `deleted: true`). {"data": [...], "meta": {}}: no total, as the vendor.
 */
export function listIdentities(state: EmulatorState, query: URLSearchParams): Record<string, unknown> {
  const { offset, limit } = parsePaging(query, { defaultLimit: 100, maxLimit: 5000, limitRequired: true });
  const search = (query.get("search") ?? "").replaceAll("%", "").toLowerCase();
  const types = (query.get("identitytypes") ?? "")
    .split(",")
    .map((type) => type.trim())
    .filter((type) => type !== "");
  const matching = state.identities.filter(
    (identity) =>
      identity.label.toLowerCase().includes(search) &&
      (types.length === 0 || types.includes(identity.type.type)),
  );
  return { data: matching.slice(offset, offset + limit), meta: {} };
}

/** GET /reports/v2/identities/{id}: {"data": identity, "meta": {}}; 404 when unknown. */
export function getIdentity(state: EmulatorState, id: number): Record<string, unknown> {
  const identity = state.identities.find((candidate) => candidate.id === id);
  if (!identity) throw new EmulatorApiError(404, "Identity not found");
  return { data: identity, meta: {} };
}

/** POST /reports/v2/identities {"identityids": [...]}: the known ones, in the order asked, up to `limit`. */
export function postIdentities(
  state: EmulatorState,
  query: URLSearchParams,
  body: unknown,
): Record<string, unknown> {
  const { offset, limit } = parsePaging(query, { defaultLimit: 100, maxLimit: 5000 });
  const ids = (body as { identityids?: unknown } | null)?.identityids;
  if (!Array.isArray(ids) || !ids.every((id) => Number.isSafeInteger(id))) {
    throw new EmulatorApiError(400, "Body must be {identityids: [integer…]}");
  }
  const found = (ids as number[]).flatMap((id): Identity[] => {
    const identity = state.identities.find((candidate) => candidate.id === id);
    return identity ? [identity] : [];
  });
  return { data: found.slice(offset, offset + limit), meta: {} };
}
