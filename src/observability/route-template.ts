const ID_SEGMENT = /^(?:[0-9]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * Turns a request path into a bounded metric label: the query is dropped and id-like segments (numbers, UUIDs)
 * become `{id}`, e.g. `/policies/v2/rules/123?x=1` → `/policies/v2/rules/{id}`.
 */
export function routeTemplate(path: string): string {
  const bare = path.split(/[?#]/, 1)[0] ?? "";
  return bare
    .split("/")
    .map((segment) => (ID_SEGMENT.test(segment) ? "{id}" : segment))
    .join("/");
}
