/**
 * An error reply of an emulated vendor route. The request pipeline renders it in the route's area style:
 * policies → {"error", "requestId"}, auth and reports → {"message"}.
 */
export class EmulatorApiError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = "EmulatorApiError";
    this.status = status;
    this.headers = headers;
  }
}

export type ApiArea = "auth" | "policies" | "reports";

/** The vendor's error body for an area (docs/vendor-client.md, vendor API facts). */
export function errorBody(area: ApiArea, message: string, requestId: string): Record<string, string> {
  return area === "policies" ? { error: message, requestId } : { message };
}
