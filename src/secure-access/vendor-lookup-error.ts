import { ExitCode } from "../core/model/exit-codes.js";
import type { LookupFailure, LookupFailureKind } from "../core/model/secure-access-types.js";
import { VendorApiError } from "./vendor-api-error.js";

export type VendorLookupCode =
  | "IDENTITY_NOT_FOUND"
  | "IDENTITY_AMBIGUOUS"
  | "GROUP_NOT_FOUND"
  | "GROUP_AMBIGUOUS"
  | "RESOURCE_NOT_FOUND"
  | "RESOURCE_AMBIGUOUS";

const kindOf: Record<VendorLookupCode, LookupFailureKind> = {
  IDENTITY_NOT_FOUND: "not-found",
  IDENTITY_AMBIGUOUS: "ambiguous",
  GROUP_NOT_FOUND: "not-found",
  GROUP_AMBIGUOUS: "ambiguous",
  RESOURCE_NOT_FOUND: "not-found",
  RESOURCE_AMBIGUOUS: "ambiguous",
};

/**
 * A name (or id) that resolved to no vendor object, or to several: the port's LookupFailure. Names the
 * candidates; exit code "invalid".
 */
export class VendorLookupError extends VendorApiError implements LookupFailure {
  readonly lookupFailure: LookupFailureKind;
  readonly query: string;
  readonly candidates: string[];

  constructor(
    code: VendorLookupCode,
    message: string,
    details: { query: string; candidates: string[]; path: string; status?: number; cause?: unknown },
  ) {
    super(code, message, {
      method: "GET",
      path: details.path,
      exitCode: ExitCode.invalid,
      ...(details.status === undefined ? {} : { status: details.status }),
      ...(details.cause === undefined ? {} : { cause: details.cause }),
    });
    this.name = "VendorLookupError";
    this.lookupFailure = kindOf[code];
    this.query = details.query;
    this.candidates = details.candidates;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      lookupFailure: this.lookupFailure,
      query: this.query,
      candidates: this.candidates,
    };
  }
}
