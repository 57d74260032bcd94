import { GrantopsError } from "../core/model/grantops-error.js";
import type { ExitCodeValue } from "../core/model/exit-codes.js";

export interface VendorApiErrorDetails {
  status?: number | null;
  method: string;
  /** Path only (never the query string). */
  path: string;
  requestId?: string | null;
  vendorMessage?: string | null;
  retryable?: boolean;
  /** Wait the vendor asked for (Retry-After), in ms. */
  retryAfterMs?: number | null;
  /** Which attempt of the call got this answer (1 = the first), when known. */
  attempt?: number | null;
  exitCode?: ExitCodeValue;
  cause?: unknown;
}

/**
 * A failed call to Cisco Secure Access. `code` is e.g. VENDOR_HTTP_409, VENDOR_NETWORK, VENDOR_TIMEOUT,
 * VENDOR_BAD_RESPONSE, VENDOR_ABORTED or TOKEN_FAILED. The message never holds the API key, secret or token:
 * the client redacts them before building it.
 */
export class VendorApiError extends GrantopsError {
  readonly status: number | null;
  readonly method: string;
  readonly path: string;
  readonly requestId: string | null;
  readonly vendorMessage: string | null;
  readonly retryable: boolean;
  readonly retryAfterMs: number | null;
  readonly attempt: number | null;

  constructor(code: string, message: string, details: VendorApiErrorDetails) {
    super(code, message, {
      ...(details.exitCode === undefined ? {} : { exitCode: details.exitCode }),
      cause: details.cause,
    });
    this.name = "VendorApiError";
    this.status = details.status ?? null;
    this.method = details.method;
    this.path = details.path;
    this.requestId = details.requestId ?? null;
    this.vendorMessage = details.vendorMessage ?? null;
    this.retryable = details.retryable ?? false;
    this.retryAfterMs = details.retryAfterMs ?? null;
    this.attempt = details.attempt ?? null;
  }

  /** A stable, secret-free JSON form (the cause is left out on purpose). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      status: this.status,
      method: this.method,
      path: this.path,
      requestId: this.requestId,
      vendorMessage: this.vendorMessage,
      retryable: this.retryable,
    };
  }
}
