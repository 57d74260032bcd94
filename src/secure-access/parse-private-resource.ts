import type { PrivateResource } from "../core/model/secure-access-types.js";
import { badResponse, type ResponseSource } from "./bad-response.js";
import { asRecord, toInteger, toOptionalString } from "./lenient-values.js";

/** Parses a private resource leniently; keeps the optional fields as sent. */
export function parsePrivateResource(value: unknown, source: ResponseSource): PrivateResource {
  const record = asRecord(value);
  if (record === null) throw badResponse(source, "a private resource is not a JSON object");
  const resourceId = toInteger(record["resourceId"] ?? record["id"]);
  const name = toOptionalString(record["name"]);
  if (resourceId === null || name === undefined) {
    throw badResponse(source, "a private resource has no integer resourceId or no name");
  }
  const resource: PrivateResource = { resourceId, name };
  for (const key of ["description", "createdAt", "modifiedAt"] as const) {
    const text = toOptionalString(record[key]);
    if (text !== undefined) resource[key] = text;
  }
  if (Array.isArray(record["resourceAddresses"])) {
    resource.resourceAddresses = record["resourceAddresses"] as PrivateResource["resourceAddresses"];
  }
  if (Array.isArray(record["accessTypes"])) {
    resource.accessTypes = record["accessTypes"] as PrivateResource["accessTypes"];
  }
  if (Array.isArray(record["resourceGroupIds"])) {
    resource.resourceGroupIds = record["resourceGroupIds"].map(toInteger).filter((n) => n !== null);
  }
  return resource;
}
