import { isMap, isScalar, parseDocument } from "yaml";

/**
 * The grant file's text with a new `duration` (counted from when the change lands, so it is a new version that
 * needs a new approval): `expiresAt` is dropped, and so is a `startsAt` at or before `now` (a past start would
 * count the new duration from then). Comments and the order of the other fields are kept.
 */
export function extendGrantText(text: string, duration: string, now: Date): string {
  const doc = parseDocument(text);
  doc.delete("expiresAt");
  const startsAt = doc.get("startsAt");
  if (typeof startsAt === "string" && !(Date.parse(startsAt) > now.getTime())) doc.delete("startsAt");
  if (doc.has("duration")) doc.set("duration", duration);
  else insertAfter(doc, "reason", "duration", duration);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

function insertAfter(doc: ReturnType<typeof parseDocument>, after: string, key: string, value: string): void {
  doc.set(key, value);
  const map = doc.contents;
  if (!isMap(map)) return;
  const added = map.items.pop();
  if (added === undefined) return;
  const at = map.items.findIndex((item) => isScalar(item.key) && item.key.value === after);
  map.items.splice(at < 0 ? map.items.length : at + 1, 0, added);
}
