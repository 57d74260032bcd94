import { asRecord } from "./lenient-values.js";

/** List keys the vendor has been seen to use, in the order the client trusts them (docs/vendor-client.md, vendor API facts). */
export const LIST_KEYS = ["results", "result", "data", "items"] as const;

/** The array of a list response: a bare array, or the first of results/result/data/items that is an array. */
export function extractList(body: unknown, keys: readonly string[] = LIST_KEYS): unknown[] | null {
  if (Array.isArray(body)) return body as unknown[];
  const record = asRecord(body);
  if (record === null) return null;
  for (const key of keys) {
    const value = record[key];
    if (Array.isArray(value)) return value as unknown[];
  }
  return null;
}
