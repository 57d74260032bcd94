import type { PrivateResource } from "../core/model/secure-access-types.js";
import { EmulatorApiError } from "./emulator-api-error.js";
import type { EmulatorState } from "./emulator-state.js";
import { parseFiltersParam, parsePaging } from "./paging.js";

const sortKeys = ["name", "resourceId", "createdAt", "modifiedAt"] as const;
type SortKey = (typeof sortKeys)[number];

/**
 * GET /policies/v2/privateResources: {items, offset, limit, total}. offset/limit (default 10, max 1000),
 * sortBy (name|resourceId|createdAt|modifiedAt, default name), sortOrder (asc|desc), and `filters` with
 * `name` and `description` as case-insensitive SUBSTRING matches (the vendor does not say; substring forces
 * clients to compare names exactly themselves), `resourceGroupId`, `accessType` and `externalFQDN`.
 */
export function listPrivateResources(state: EmulatorState, query: URLSearchParams): Record<string, unknown> {
  const { offset, limit } = parsePaging(query, { defaultLimit: 10, maxLimit: 1000 });
  const sortBy = (query.get("sortBy") ?? "name") as SortKey;
  if (!sortKeys.includes(sortBy))
    throw new EmulatorApiError(400, `sortBy must be one of ${sortKeys.join(", ")}`);
  const sortOrder = query.get("sortOrder") ?? "asc";
  if (sortOrder !== "asc" && sortOrder !== "desc")
    throw new EmulatorApiError(400, "sortOrder must be asc or desc");
  const matches = resourceFilter(parseFiltersParam(query));
  const sorted = state.privateResources.filter(matches).sort((a, b) => compareBy(a, b, sortBy));
  if (sortOrder === "desc") sorted.reverse();
  return { items: sorted.slice(offset, offset + limit), offset, limit, total: sorted.length };
}

/** GET /policies/v2/privateResources/{id}; 404 when unknown. */
export function getPrivateResource(state: EmulatorState, id: number): PrivateResource {
  const resource = state.privateResources.find((candidate) => candidate.resourceId === id);
  if (!resource) throw new EmulatorApiError(404, "Not Found");
  return resource;
}

function compareBy(a: PrivateResource, b: PrivateResource, key: SortKey): number {
  if (key === "resourceId") return a.resourceId - b.resourceId;
  const left = (key === "name" ? a.name.toLowerCase() : a[key]) ?? "";
  const right = (key === "name" ? b.name.toLowerCase() : b[key]) ?? "";
  return left < right ? -1 : left > right ? 1 : a.resourceId - b.resourceId;
}

function resourceFilter(filters: Record<string, unknown>): (resource: PrivateResource) => boolean {
  const checks = Object.entries(filters).map(([key, value]): ((resource: PrivateResource) => boolean) => {
    const text = String(value).toLowerCase();
    switch (key) {
      case "name":
        return (resource) => resource.name.toLowerCase().includes(text);
      case "description":
        return (resource) => (resource.description ?? "").toLowerCase().includes(text);
      case "resourceGroupId":
        return (resource) => (resource.resourceGroupIds ?? []).includes(Number(value));
      case "accessType":
        return (resource) => text.split(",").every((type) => accessTypes(resource).includes(type.trim()));
      case "externalFQDN":
        return (resource) =>
          JSON.stringify(resource.accessTypes ?? [])
            .toLowerCase()
            .includes(text);
      default:
        throw new EmulatorApiError(400, `Unsupported filter: ${key}`);
    }
  });
  return (resource) => checks.every((check) => check(resource));
}

function accessTypes(resource: PrivateResource): string[] {
  return (resource.accessTypes ?? []).map((type) => String(type["type"]).toLowerCase());
}
