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
  /** Every identity of the directory's type (users or groups), listed once (the listing later lookups match against). */
  list(): Promise<Identity[]>;
  /** `count` distinct names are about to be looked up: past the bulk threshold the listing starts now. */
  expect(count: number): void;
}

/** The reporting API's identity types grantops looks names up in. */
export type DirectoryType = "directory_user" | "directory_group";

export interface IdentityDirectoryOptions {
  /** Which identities names are matched against (default directory users; groups for a grant's `groups:`). */
  identityType?: DirectoryType;
  /** Once more than this many distinct names were asked for, later lookups use one listing of every identity. */
  bulkThreshold: number;
  /** List every directory user at the first lookup. */
  prefetch: boolean;
}

/** Every identity of the type, indexed by lower-cased label and by lower-cased part in parentheses. */
interface LoadedDirectory {
  all: Identity[];
  byName: Map<string, Identity[]>;
}

/**
 * Identity lookups through the reporting API (docs/vendor-client.md, vendor API facts), cached for the life of the client. The first names are
 * searched one request each; past `bulkThreshold` distinct names (or with `prefetch`) every identity of the type
 * (directory users, or directory groups) is listed once (limit 5000, shared by concurrent lookups) and later
 * names are matched against that list by the same rules, with the same answers and errors.
 */
export function createIdentityDirectory(
  request: VendorRequester,
  options: IdentityDirectoryOptions = { bulkThreshold: DEFAULT_IDENTITY_BULK_THRESHOLD, prefetch: false },
): IdentityDirectory {
  const byQuery = new Map<string, Promise<Identity>>();
  const byId = new Map<number, Promise<Identity>>();
  const asked = new Set<string>();
  const loaded = new Map<"all", Promise<LoadedDirectory>>();
  const kind = kinds[options.identityType ?? "directory_user"];

  const load = () => cachePromise(loaded, "all", () => loadDirectory(request, kind));
  const candidatesOf = async (label: string): Promise<Identity[]> => {
    if (!options.prefetch && asked.size <= options.bulkThreshold && !loaded.has("all"))
      return searchIdentities(request, label, kind);
    return fromDirectory(await load(), label);
  };

  const find = async (label: string): Promise<Identity> => {
    if (label === "") {
      throw new VendorLookupError(kind.notFound, `An empty ${kind.noun} name matches nothing`, {
        query: label,
        candidates: [],
        path: IDENTITIES_PATH,
      });
    }
    const identity = answer(label, await candidatesOf(label), kind);
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
    expect: (count) => {
      // A failed listing is not cached (cachePromise): the lookups then search or list again, and report it.
      if (count > options.bulkThreshold) load().catch(() => undefined);
    },
  };
}

interface DirectoryKind {
  type: DirectoryType;
  /** "identity" or "group", for messages. */
  noun: string;
  /** "directory user" or "directory group". */
  plural: string;
  notFound: "IDENTITY_NOT_FOUND" | "GROUP_NOT_FOUND";
  ambiguous: "IDENTITY_AMBIGUOUS" | "GROUP_AMBIGUOUS";
}

const kinds: Record<DirectoryType, DirectoryKind> = {
  directory_user: {
    type: "directory_user",
    noun: "identity",
    plural: "directory user",
    notFound: "IDENTITY_NOT_FOUND",
    ambiguous: "IDENTITY_AMBIGUOUS",
  },
  directory_group: {
    type: "directory_group",
    noun: "group",
    plural: "directory group",
    notFound: "GROUP_NOT_FOUND",
    ambiguous: "GROUP_AMBIGUOUS",
  },
};

/** The one live identity among `found` that matches `label`, else NOT_FOUND / AMBIGUOUS naming candidates. */
function answer(label: string, found: Identity[], kind: DirectoryKind): Identity {
  const { matches, deletedMatches } = matchIdentities(label, found);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new VendorLookupError(
      kind.ambiguous,
      `${kind.noun === "group" ? "Group" : "Identity"} "${label}" matches ${matches.length} Secure Access ${kind.plural}s: ${matches.map(describe).join(", ")}`,
      { query: label, candidates: matches.map(describe), path: IDENTITIES_PATH },
    );
  }
  const candidates = [
    ...deletedMatches.map((i) => `${describe(i)} (deleted)`),
    ...nearMisses(found, deletedMatches),
  ];
  throw new VendorLookupError(
    kind.notFound,
    `No Secure Access ${kind.plural} matches "${label}" exactly` +
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

async function loadDirectory(request: VendorRequester, kind: DirectoryKind): Promise<LoadedDirectory> {
  const all = await listIdentities(request, IDENTITY_BULK_PAGE_LIMIT, kind, {});
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

function searchIdentities(request: VendorRequester, label: string, kind: DirectoryKind): Promise<Identity[]> {
  return listIdentities(request, IDENTITY_PAGE_LIMIT, kind, { search: `%${label}%` });
}

/**
 * Identities of one type (`identitytypes=directory_user` or `directory_group`), every page of `limit` until a
 * short one. An identity of another type in the answer is dropped (a name never resolves across types).
 */
async function listIdentities(
  request: VendorRequester,
  pageLimit: number,
  kind: DirectoryKind,
  filter: { search?: string },
): Promise<Identity[]> {
  const listed = await listPages(request, {
    path: IDENTITIES_PATH,
    pageLimit,
    query: (offset, limit) => ({ limit, offset, ...filter, identitytypes: kind.type }),
    noun: "identity",
    parse: parseIdentity,
    listKeys: ["data", "results", "result", "items"],
    followBodyRedirect: true,
  });
  return listed.filter((identity) => identity.type.type === "" || identity.type.type === kind.type);
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
