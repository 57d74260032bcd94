import type { Identity } from "../core/model/secure-access-types.js";
import { badResponse, type ResponseSource } from "./bad-response.js";
import { asRecord, toBoolean, toInteger, toOptionalString } from "./lenient-values.js";

/** Parses a reporting identity ({id, label, deleted, type:{id,label,type}}) leniently. */
export function parseIdentity(value: unknown, source: ResponseSource): Identity {
  const record = asRecord(value);
  if (record === null) throw badResponse(source, "an identity is not a JSON object");
  const id = toInteger(record["id"]);
  const label = toOptionalString(record["label"]);
  if (id === null || label === undefined)
    throw badResponse(source, "an identity has no integer id or no label");
  const type = asRecord(record["type"]) ?? {};
  return {
    id,
    label,
    deleted: toBoolean(record["deleted"]) ?? false,
    type: {
      id: toInteger(type["id"]) ?? 0,
      label: toOptionalString(type["label"]) ?? "",
      type: toOptionalString(type["type"]) ?? "",
    },
  };
}
