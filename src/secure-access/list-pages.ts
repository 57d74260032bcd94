import { badResponse } from "./bad-response.js";
import { collectPages } from "./collect-pages.js";
import type { VendorRequester } from "./create-vendor-requester.js";
import { extractList, LIST_KEYS } from "./extract-list.js";

export interface ListEndpoint<T> {
  path: string;
  /** Items per page; a shorter page is the last. */
  pageLimit: number;
  /** The whole query of one page (the caller picks the parameters' order). */
  query: (offset: number, limit: number) => Record<string, string | number>;
  /** The items' name in errors, e.g. "rule": "no rule list in the body", "too many pages of the rule list". */
  noun: string;
  parse: (item: unknown, source: { method: string; path: string }) => T;
  /** Where the body keeps the array, in the order trusted (default LIST_KEYS). */
  listKeys?: readonly string[];
  /** Follow a 200 body {"data":{"redirect":url}} (the reporting API). */
  followBodyRedirect?: boolean;
}

/** Every item of a paged GET list endpoint; a body without a list, or a failed page, fails the whole listing. */
export function listPages<T>(request: VendorRequester, endpoint: ListEndpoint<T>): Promise<T[]> {
  const { path, noun } = endpoint;
  const source = { method: "GET", path };
  return collectPages(
    endpoint.pageLimit,
    async (offset, limit) => {
      const { body } = await request({
        method: "GET",
        path,
        route: path,
        query: endpoint.query(offset, limit),
        followBodyRedirect: endpoint.followBodyRedirect ?? false,
      });
      const items = extractList(body, endpoint.listKeys ?? LIST_KEYS);
      if (items === null) throw badResponse(source, `no ${noun} list in the body`);
      return items.map((item) => endpoint.parse(item, source));
    },
    () => badResponse(source, `too many pages of the ${noun} list`),
  );
}
