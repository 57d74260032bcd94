import { asRecord } from "./lenient-values.js";

/** JSON.parse of an object body; null when the text is not JSON or not an object. */
export function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    return asRecord(JSON.parse(text));
  } catch {
    return null;
  }
}
