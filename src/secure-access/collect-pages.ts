/** Max pages of one listing before the client suspects a server that ignores `offset`. */
export const MAX_PAGES = 10_000;

/**
 * Offset paging: asks for pages of `limit` until one has fewer items (docs/vendor-client.md, vendor API facts: never trust
 * `count`). A failed page rejects the whole listing, so callers never see a partial list.
 */
export async function collectPages<T>(
  limit: number,
  fetchPage: (offset: number, limit: number) => Promise<T[]>,
  onTooManyPages: () => Error,
): Promise<T[]> {
  const all: T[] = [];
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const items = await fetchPage(all.length, limit);
    all.push(...items);
    if (items.length < limit) return all;
  }
  throw onTooManyPages();
}
