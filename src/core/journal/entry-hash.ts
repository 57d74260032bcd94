import { createHash } from "node:crypto";

/**
 * The hash of a journal line: sha256 (hex) of its JSON without the `hash` field, keys in the order written. Since
 * the line carries `prev` (the hash of the line before it), each hash covers the whole journal up to that line.
 */
export function entryHash(entry: Readonly<Record<string, unknown>>): string {
  const { hash: _ignored, ...rest } = entry;
  return createHash("sha256").update(JSON.stringify(rest)).digest("hex");
}
