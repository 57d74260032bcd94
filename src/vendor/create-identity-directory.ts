import type { Identity } from "../core/secure-access-types.js";
import { badResponse } from "./bad-response.js";
import { cachePromise } from "./cache-promise.js";
import { collectPages } from "./collect-pages.js";
import type { VendorRequester } from "./create-vendor-requester.js";
import { extractList } from "./extract-list.js";
import { asRecord } from "./lenient-values.js";
import { matchIdentities } from "./match-identities.js";
import { parseIdentity } from "./parse-identity.js";
import { VendorLookupError } from "./vendor-lookup-error.js";

export const IDENTITIES_PATH = "/reports/v2/identities";
export const IDENTITY_PAGE_LIMIT = 1000;
const MAX_CANDIDATES = 10;

export interface IdentityDirectory {
  find(label: string): Promise<Identity>;
  get(id: number): Promise<Identity>;
}

/** Identity lookups through the reporting API (§8), cached for the life of the client. */
export function createIdentityDirectory(request: VendorRequester): IdentityDirectory {
  const byQuery = new Map<string, Promise<Identity>>();
  const byId = new Map<number, Promise<Identity>>();

  const find = async (label: string): Promise<Identity> => {
    if (label === "") {
      throw new VendorLookupError("IDENTITY_NOT_FOUND", "An empty identity name matches nothing", {
        query: label,
        candidates: [],
        path: IDENTITIES_PATH,
      });
    }
    const found = await searchIdentities(request, label);
    const { matches, deletedMatches } = matchIdentities(label, found);
    if (matches.length === 1) {
      const identity = matches[0]!;
      byId.set(identity.id, Promise.resolve(identity));
      return identity;
    }
    if (matches.length > 1) {
      throw new VendorLookupError(
        "IDENTITY_AMBIGUOUS",
        `Identity "${label}" matches ${matches.length} Secure Access identities: ${matches.map(describe).join(", ")}`,
        { query: label, candidates: matches.map(describe), path: IDENTITIES_PATH },
      );
    }
    const candidates = [
      ...deletedMatches.map((i) => `${describe(i)} (deleted)`),
      ...nearMisses(found, deletedMatches),
    ];
    throw new VendorLookupError(
      "IDENTITY_NOT_FOUND",
      `No Secure Access directory user matches "${label}" exactly` +
        (candidates.length === 0 ? "" : `; candidates: ${candidates.join(", ")}`),
      { query: label, candidates, path: IDENTITIES_PATH },
    );
  };

  return {
    find: (label) => cachePromise(byQuery, label.trim().toLowerCase(), () => find(label.trim())),
    get: (id) => cachePromise(byId, id, () => getIdentity(request, id)),
  };
}

function describe(identity: Identity): string {
  return `${identity.label} [${identity.id}]`;
}

function nearMisses(found: Identity[], deleted: Identity[]): string[] {
  const skip = new Set(deleted.map((i) => i.id));
  return found
    .filter((i) => !skip.has(i.id))
    .slice(0, MAX_CANDIDATES)
    .map((i) => (i.deleted ? `${describe(i)} (deleted)` : describe(i)));
}

async function searchIdentities(request: VendorRequester, label: string): Promise<Identity[]> {
  const source = { method: "GET", path: IDENTITIES_PATH };
  return collectPages(
    IDENTITY_PAGE_LIMIT,
    async (offset, limit) => {
      const { body } = await request({
        method: "GET",
        path: IDENTITIES_PATH,
        route: IDENTITIES_PATH,
        query: { limit, offset, search: `%${label}%`, identitytypes: "directory_user" },
        followBodyRedirect: true,
      });
      const items = extractList(body, ["data", "results", "result", "items"]);
      if (items === null) throw badResponse(source, "no identity list in the body");
      return items.map((item) => parseIdentity(item, source));
    },
    () => badResponse(source, "too many pages of identities"),
  );
}

async function getIdentity(request: VendorRequester, id: number): Promise<Identity> {
  const path = `${IDENTITIES_PATH}/${id}`;
  const { body } = await request({
    method: "GET",
    path,
    route: `${IDENTITIES_PATH}/{identityId}`,
    followBodyRedirect: true,
  });
  return parseIdentity(asRecord(body)?.["data"] ?? body, { method: "GET", path });
}
