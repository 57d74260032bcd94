import type { EmulatorState } from "./emulator-state.js";
import type { ListKey } from "./emulator-runtime.js";
import { parseFiltersParam, parsePaging } from "./paging.js";
import { buildRuleFilter } from "./rule-filters.js";
import { normalizeRuleOrder } from "./rule-priorities.js";
import { toRuleSummary } from "./rules-store.js";

/**
 * GET /policies/v2/rules: offset/limit (default 10, max 1000), `ruleName` (case-insensitive substring) and
 * `filters`; items in priority order without conditions or settings; `count` is the number of matches.
 */
export function listRules(
  state: EmulatorState,
  query: URLSearchParams,
  listKey: ListKey,
): Record<string, unknown> {
  const { offset, limit } = parsePaging(query, { defaultLimit: 10, maxLimit: 1000 });
  const filters = parseFiltersParam(query);
  const byName = query.get("ruleName");
  const matches = buildRuleFilter(byName ? { ...filters, ruleName: byName } : filters);
  normalizeRuleOrder(state.rules);
  const matching = state.rules.filter(matches);
  const page = matching.slice(offset, offset + limit).map(toRuleSummary);
  return {
    count: matching.length,
    ...(listKey === "result" ? {} : { results: page }),
    ...(listKey === "results" ? {} : { result: page }),
  };
}
