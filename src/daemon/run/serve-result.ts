import { ExitCode } from "../../core/model/exit-codes.js";
import { toInstant } from "../../core/time/instant.js";
import type { RunRecord } from "../../reconcile/run-record.js";
import type { ServeReconcileResult } from "../serve.js";

/** What the server needs from a finished run: converged or not, the finer outcome and the next wake. */
export function serveResultOf(result: RunRecord): ServeReconcileResult {
  const outcome =
    result.exitCode === ExitCode.failedSteps
      ? "failed_steps"
      : result.exitCode === ExitCode.refused
        ? "refused"
        : "success";
  return { ok: outcome === "success", outcome, nextWakeAt: result.nextWakeAt, vendorReachable: true };
}

/**
 * A run that threw (git, GitHub or the vendor unreachable, an invalid policy): outcome "error", and a wake-up
 * soon so a transient failure is retried before the next backstop tick (or at the known next expiry, if sooner).
 */
export function failedRunResult(
  error: unknown,
  now: Date,
  retryMs: number,
  knownWake: string | null,
): ServeReconcileResult {
  const retry = now.getTime() + retryMs;
  const known = knownWake === null ? NaN : Date.parse(knownWake);
  const wake = Number.isFinite(known) && known > now.getTime() && known < retry ? known : retry;
  return {
    ok: false,
    outcome: "error",
    nextWakeAt: toInstant(wake),
    vendorReachable: !isVendorFailure(error),
  };
}

/** A Secure Access error (VendorApiError codes start with VENDOR_). */
export function isVendorFailure(error: unknown): boolean {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" && code.startsWith("VENDOR_");
}
