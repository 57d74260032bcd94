import { InvalidInputError } from "../core/model/grantops-error.js";
import type { RetryOptions } from "../secure-access/client-settings.js";

/** Client settings an operator may tune from the environment (see docs/vendor-client.md). */
export interface VendorTuning {
  retry?: Pick<RetryOptions, "retries" | "maxRetryTimeMs">;
  timeoutMs?: number;
}

/**
 * GRANTOPS_VENDOR_RETRIES (integer >= 0), GRANTOPS_VENDOR_TIMEOUT_MS (integer > 0) and
 * GRANTOPS_VENDOR_MAX_RETRY_TIME_MS (integer > 0); unset or empty keeps the client's default. Every invalid
 * value is reported at once (InvalidInputError, VENDOR_TUNING_INVALID).
 */
export function readVendorTuning(env: Record<string, string | undefined>): VendorTuning {
  const problems: string[] = [];
  const retries = readInteger(env, "GRANTOPS_VENDOR_RETRIES", 0, problems);
  const timeoutMs = readInteger(env, "GRANTOPS_VENDOR_TIMEOUT_MS", 1, problems);
  const maxRetryTimeMs = readInteger(env, "GRANTOPS_VENDOR_MAX_RETRY_TIME_MS", 1, problems);
  if (problems.length > 0) {
    throw new InvalidInputError(
      "VENDOR_TUNING_INVALID",
      `invalid vendor client settings: ${problems.join("; ")}`,
    );
  }
  const retry = {
    ...(retries === undefined ? {} : { retries }),
    ...(maxRetryTimeMs === undefined ? {} : { maxRetryTimeMs }),
  };
  return {
    ...(Object.keys(retry).length === 0 ? {} : { retry }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
}

function readInteger(
  env: Record<string, string | undefined>,
  name: string,
  min: number,
  problems: string[],
): number | undefined {
  const text = env[name]?.trim() ?? "";
  if (text === "") return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isSafeInteger(value) && value >= min) return value;
  problems.push(`${name} must be an integer >= ${min} (got ${JSON.stringify(text.slice(0, 40))})`);
  return undefined;
}
