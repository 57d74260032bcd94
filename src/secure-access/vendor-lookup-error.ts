import { ExitCode } from "../core/model/exit-codes.js";
import { VendorApiError } from "./vendor-api-error.js";

export type VendorLookupCode =
  "IDENTITY_NOT_FOUND" | "IDENTITY_AMBIGUOUS" | "RESOURCE_NOT_FOUND" | "RESOURCE_AMBIGUOUS";

/** A name that resolved to no vendor object, or to several. Names the candidates; exit code "invalid". */
export class VendorLookupError extends VendorApiError {
  readonly query: string;
  readonly candidates: string[];

  constructor(
    code: VendorLookupCode,
    message: string,
    details: { query: string; candidates: string[]; path: string },
  ) {
    super(code, message, { method: "GET", path: details.path, exitCode: ExitCode.invalid });
    this.name = "VendorLookupError";
    this.query = details.query;
    this.candidates = details.candidates;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), query: this.query, candidates: this.candidates };
  }
}
