import { VendorApiError } from "./vendor-api-error.js";

/** Where a response came from, for error messages. */
export interface ResponseSource {
  method: string;
  path: string;
}

/** A VENDOR_BAD_RESPONSE error: a success reply the client cannot use (never retried). */
export function badResponse(source: ResponseSource, detail: string, cause?: unknown): VendorApiError {
  return new VendorApiError(
    "VENDOR_BAD_RESPONSE",
    `Secure Access ${source.method} ${source.path} returned an unusable response: ${detail}`,
    { method: source.method, path: source.path, cause },
  );
}
