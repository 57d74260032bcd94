import type { Identity } from "../core/model/secure-access-types.js";
import { DEFAULT_IDENTITY_BULK_THRESHOLD } from "./client-settings.js";
import { cachePromise } from "./cache-promise.js";
import type { VendorRequester } from "./create-vendor-requester.js";
import { listPages } from "./list-pages.js";
import { asRecord } from "./lenient-values.js";
import { labelUpn, matchIdentities } from "./match-identities.js";
import { parseIdentity } from "./parse-identity.js";
import { VendorLookupError } from "./vendor-lookup-error.js";
import { unknownIdError } from "./unknown-id-error.js";

export const IDENTITIES_PATH = "/reports/v2/identities";
export const IDENTITY_PAGE_LIMIT = 1000;
/** Page size of the whole-directory listing (the API's maximum). */
export const IDENTITY_BULK_PAGE_LIMIT = 5000;
const MAX_CANDIDATES = 10;

export interface IdentityDirectory {
  find(label: string): Promise<Identity>;
  get(id: number): Promise<Identity>;
  /** Every directory user, listed once (the listing later lookups match against). */
  list(): Promise<Identity[]>;
}

export interface IdentityDirectoryOptions {
  /** Once more than this many distinct names were asked for, later lookups use one listing of every user. */
  bulkThreshold: number;
  /** List every directory user at the first lookup. */
  prefetch: boolean;
}

/** Every directory user, indexed by lower-cased label and by lower-cased part in parentheses. */
interface LoadedDirectory {
  all: Identity[];
  byName: Map<string, Identity[]>;
}

/**
 * Identity lookups through the reporting API (docs/vendor-client.md, vendor API facts), cached for the life of the client. The first names are
 * searched one request each; past `bulkThreshold` distinct names (or with `prefetch`) every directory user is
 * listed once (limit 5000, shared by concurrent lookups) and later names are matched against that list by the
 * same rules, with the same answers and errors.
 */
export function createIdentityDirectory(
  request: VendorRequester,
  options: IdentityDirectoryOptions = { bulkThreshold: DEFAULT_IDENTITY_BULK_THRESHOLD, prefetch: false },
): IdentityDirectory {
  const byQuery = new Map<string, Promise<Identity>>();
  const byId = new Map<number, Promise<Identity>>();
  const asked = new Set<string>();
  const loaded = new Map<"all", Promise<LoadedDirectory>>();

  const load = () => cachePromise(loaded, "all", () => loadDirectory(request));
  const candidatesOf = async (label: string): Promise<Identity[]> => {
    if (!options.prefetch && asked.size <= options.bulkThreshold && !loaded.has("all"))
      return searchIdentities(request, label);
    return fromDirectory(await load(), label);
  };

  const find = async (label: string): Promise<Identity> => {
    if (label === "") {
      throw new VendorLookupError("IDENTITY_NOT_FOUND", "An empty identity name matches nothing", {
        query: label,
        candidates: [],
        path: IDENTITIES_PATH,
      });
    }
    const identity = answer(label, await candidatesOf(label));
    byId.set(identity.id, Promise.resolve(identity));
    return identity;
  };

  return {
    find: (label) => {
      const key = label.trim().toLowerCase();
      asked.add(key);
      return cachePromise(byQuery, key, () => find(label.trim()));
    },
    get: (id) => cachePromise(byId, id, () => getIdentity(request, id)),
    list: async () => [...(await load()).all],
  };
}

/** The one live identity among `found` that matches `label`, else NOT_FOUND / AMBIGUOUS naming candidates. */
function answer(label: string, found: Identity[]): Identity {
  const { matches, deletedMatches } = matchIdentities(label, found);
  if (matches.length === 1) return matches[0]!;
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

/**
 * What a search for `label` would have returned, as far as the answer depends on it: the exact matches when
 * one is live (the answer is then that identity or AMBIGUOUS), else every label containing the name
 * (case-insensitive, as the search filter), for the same near-miss candidates.
 */
function fromDirectory(directory: LoadedDirectory, label: string): Identity[] {
  const wanted = label.toLowerCase();
  const exact = directory.byName.get(wanted) ?? [];
  if (exact.some((identity) => !identity.deleted)) return exact;
  return directory.all.filter((identity) => identity.label.toLowerCase().includes(wanted));
}

async function loadDirectory(request: VendorRequester): Promise<LoadedDirectory> {
  const all = await listIdentities(request, IDENTITY_BULK_PAGE_LIMIT, {});
  const byName = new Map<string, Identity[]>();
  for (const identity of all) {
    const names = new Set([identity.label.trim().toLowerCase(), labelUpn(identity.label)?.toLowerCase()]);
    for (const name of names) {
      if (name === undefined) continue;
      const list = byName.get(name);
      if (list === undefined) byName.set(name, [identity]);
      else list.push(identity);
    }
  }
  return { all, byName };
}

function searchIdentities(request: VendorRequester, label: string): Promise<Identity[]> {
  return listIdentities(request, IDENTITY_PAGE_LIMIT, { search: `%${label}%` });
}

/** Directory users (`identitytypes=directory_user`), every page of `limit` until a short one. */
function listIdentities(
  request: VendorRequester,
  pageLimit: number,
  filter: { search?: string },
): Promise<Identity[]> {
  return listPages(request, {
    path: IDENTITIES_PATH,
    pageLimit,
    query: (offset, limit) => ({ limit, offset, ...filter, identitytypes: "directory_user" }),
    noun: "identity",
    parse: parseIdentity,
    listKeys: ["data", "results", "result", "items"],
    followBodyRedirect: true,
  });
}

/** One identity by id; a 404 is the LookupFailure IDENTITY_NOT_FOUND. */
async function getIdentity(request: VendorRequester, id: number): Promise<Identity> {
  const path = `${IDENTITIES_PATH}/${id}`;
  const { body } = await request({
    method: "GET",
    path,
    route: `${IDENTITIES_PATH}/{identityId}`,
    followBodyRedirect: true,
  }).catch((error: unknown) => {
    throw unknownIdError("IDENTITY_NOT_FOUND", id, error);
  });
  return parseIdentity(asRecord(body)?.["data"] ?? body, { method: "GET", path });
}
