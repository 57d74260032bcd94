import { VendorApiError } from "./vendor-api-error.js";
import { VendorLookupError } from "./vendor-lookup-error.js";

/** A GET of one object by id answered 404: the id names nothing (a LookupFailure, not a transport error). */
export function unknownIdError(
  code: "IDENTITY_NOT_FOUND" | "RESOURCE_NOT_FOUND",
  id: number,
  error: unknown,
): unknown {
  if (!(error instanceof VendorApiError) || error.status !== 404) return error;
  const what = code === "IDENTITY_NOT_FOUND" ? "identity" : "private resource";
  return new VendorLookupError(code, `No Secure Access ${what} has id ${id}`, {
    query: String(id),
    candidates: [],
    path: error.path,
    status: 404,
    cause: error,
  });
}
