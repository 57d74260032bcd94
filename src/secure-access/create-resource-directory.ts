import type { PrivateResource } from "../core/model/secure-access-types.js";
import { cachePromise } from "./cache-promise.js";
import type { VendorRequester } from "./create-vendor-requester.js";
import { listPages } from "./list-pages.js";
import { parsePrivateResource } from "./parse-private-resource.js";
import { VendorLookupError } from "./vendor-lookup-error.js";
import { unknownIdError } from "./unknown-id-error.js";

export const RESOURCES_PATH = "/policies/v2/privateResources";
export const RESOURCE_PAGE_LIMIT = 1000;
const MAX_CANDIDATES = 10;

export interface ResourceDirectory {
  list(): Promise<PrivateResource[]>;
  find(name: string): Promise<PrivateResource>;
  get(id: number): Promise<PrivateResource>;
}

/** Private resources (docs/vendor-client.md, vendor API facts): the whole list is paged once per client and names are compared exactly. */
export function createResourceDirectory(request: VendorRequester): ResourceDirectory {
  const listCache = new Map<"all", Promise<PrivateResource[]>>();
  const byId = new Map<number, Promise<PrivateResource>>();
  const list = () => cachePromise(listCache, "all", () => listAll(request));

  return {
    list: async () => [...(await list())],
    find: async (name) => pickByName(name, await list()),
    get: async (id) => {
      const all = listCache.has("all") ? await list() : [];
      const known = all.find((resource) => resource.resourceId === id);
      return known ?? cachePromise(byId, id, () => getResource(request, id));
    },
  };
}

function pickByName(name: string, all: PrivateResource[]): PrivateResource {
  const matches = all.filter((resource) => resource.name === name);
  const describe = (r: PrivateResource) => `${r.name} [${r.resourceId}]`;
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new VendorLookupError(
      "RESOURCE_AMBIGUOUS",
      `Private resource "${name}" matches ${matches.length} resources: ${matches.map(describe).join(", ")}`,
      { query: name, candidates: matches.map(describe), path: RESOURCES_PATH },
    );
  }
  const lower = name.trim().toLowerCase();
  const candidates = all
    .filter(
      (r) => lower !== "" && (r.name.toLowerCase().includes(lower) || lower.includes(r.name.toLowerCase())),
    )
    .slice(0, MAX_CANDIDATES)
    .map(describe);
  throw new VendorLookupError(
    "RESOURCE_NOT_FOUND",
    `No Secure Access private resource is named "${name}" (names are compared exactly)` +
      (candidates.length === 0 ? "" : `; candidates: ${candidates.join(", ")}`),
    { query: name, candidates, path: RESOURCES_PATH },
  );
}

function listAll(request: VendorRequester): Promise<PrivateResource[]> {
  return listPages(request, {
    path: RESOURCES_PATH,
    pageLimit: RESOURCE_PAGE_LIMIT,
    query: (offset, limit) => ({ offset, limit, sortBy: "resourceId", sortOrder: "asc" }),
    noun: "private resource",
    parse: parsePrivateResource,
    listKeys: ["items", "results", "result", "data"],
  });
}

/** One private resource by id; a 404 is the LookupFailure RESOURCE_NOT_FOUND. */
async function getResource(request: VendorRequester, id: number): Promise<PrivateResource> {
  const path = `${RESOURCES_PATH}/${id}`;
  const { body } = await request({ method: "GET", path, route: `${RESOURCES_PATH}/{resourceId}` }).catch(
    (error: unknown) => {
      throw unknownIdError("RESOURCE_NOT_FOUND", id, error);
    },
  );
  return parsePrivateResource(body, { method: "GET", path });
}
