import { EmulatorApiError } from "./emulator-api-error.js";

export interface Paging {
  offset: number;
  limit: number;
}

/**
 * Reads `offset` (default 0) and `limit` (default `defaultLimit`, 1..maxLimit) from a query; anything else is a
 * 400. With `limitRequired` a missing limit is a 400 too (the identities API).
 */
export function parsePaging(
  query: URLSearchParams,
  options: { defaultLimit: number; maxLimit: number; limitRequired?: boolean },
): Paging {
  const rawLimit = query.get("limit");
  if (rawLimit === null && options.limitRequired) throw new EmulatorApiError(400, "limit is required");
  const limit = rawLimit === null ? options.defaultLimit : toInteger(rawLimit);
  if (limit === undefined || limit < 1 || limit > options.maxLimit) {
    throw new EmulatorApiError(400, `limit must be an integer from 1 to ${options.maxLimit}`);
  }
  const rawOffset = query.get("offset");
  const offset = rawOffset === null ? 0 : toInteger(rawOffset);
  if (offset === undefined || offset < 0)
    throw new EmulatorApiError(400, "offset must be a non-negative integer");
  return { offset, limit };
}

function toInteger(text: string): number | undefined {
  return /^\s*-?\d+\s*$/.test(text) ? Number(text) : undefined;
}

/** Parses a `filters` query parameter (already URL-decoded by URLSearchParams) as a JSON object; else 400. */
export function parseFiltersParam(query: URLSearchParams): Record<string, unknown> {
  const raw = query.get("filters");
  if (raw === null || raw.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new EmulatorApiError(400, "filters must be a JSON object");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new EmulatorApiError(400, "filters must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}
