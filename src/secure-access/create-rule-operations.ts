import type { CreatedRule, Rule, RuleInput, RuleSummary } from "../core/model/secure-access-types.js";
import { badResponse } from "./bad-response.js";
import type { VendorRequester } from "./create-vendor-requester.js";
import { createWriteQueue } from "./create-write-queue.js";
import { listPages } from "./list-pages.js";
import { parseRule, parseRuleSummary } from "./parse-rule.js";
import { createValuePool } from "../core/model/value-pool.js";
import { RuleNameTakenError } from "./rule-name-taken-error.js";
import { sameRuleContent } from "./same-rule-content.js";
import { VendorApiError } from "./vendor-api-error.js";
import type { VendorBudget } from "./vendor-budget.js";

export const RULES_PATH = "/policies/v2/rules";
export const RULE_PAGE_LIMIT = 1000;
const RULE_ROUTE = `${RULES_PATH}/{ruleId}`;

export interface RuleOperations {
  listRules(): Promise<RuleSummary[]>;
  findRulesByName(name: string): Promise<RuleSummary[]>;
  getRule(ruleId: number): Promise<Rule>;
  createRule(input: RuleInput): Promise<CreatedRule>;
  updateRule(ruleId: number, input: RuleInput & { rulePriority: number }): Promise<Rule>;
  deleteRule(ruleId: number, options?: { expiresAtMs?: number }): Promise<void>;
}

/** Rule CRUD (docs/vendor-client.md, vendor API facts). Writes go through one queue: one rule write at a time per client (= organization). */
export function createRuleOperations(
  request: VendorRequester,
  pacing: { budget: VendorBudget; signal?: AbortSignal | undefined },
): RuleOperations {
  const write = createWriteQueue();
  // A create or update waits for room in the vendor's windows (and counts its call) before it takes the write
  // lock, so a delete never waits behind a paced create; its request is then marked prepaid.
  const paced = async <T>(task: () => Promise<T>): Promise<T> => {
    await pacing.budget.acquire("grant", undefined, pacing.signal);
    return write(task);
  };
  const getRule = async (ruleId: number): Promise<Rule> => {
    const path = `${RULES_PATH}/${ruleId}`;
    const { body } = await request({ method: "GET", path, route: RULE_ROUTE });
    return parseRule(body, { method: "GET", path });
  };

  return {
    listRules: () => listRules(request),
    findRulesByName: (name) => listRules(request, name),
    getRule,
    createRule: (input) => paced(() => createRule(request, input, getRule)),
    updateRule: (ruleId, input) =>
      paced(async () => {
        const path = `${RULES_PATH}/${ruleId}`;
        const { body } = await request({
          method: "PUT",
          path,
          route: RULE_ROUTE,
          body: input,
          prepaid: true,
        });
        return body === null ? getRule(ruleId) : parseRule(body, { method: "PUT", path });
      }),
    deleteRule: (ruleId, options = {}) =>
      write(async () => {
        const path = `${RULES_PATH}/${ruleId}`;
        const order = options.expiresAtMs;
        try {
          await request({
            method: "DELETE",
            path,
            route: RULE_ROUTE,
            ...(order === undefined ? {} : { order }),
          });
        } catch (error) {
          if (!(error instanceof VendorApiError && error.status === 404)) throw error;
        }
        if (order !== undefined) pacing.budget.spent(order);
      }),
  };
}

function listRules(request: VendorRequester, ruleName?: string): Promise<RuleSummary[]> {
  const pool = createValuePool();
  return listPages(request, {
    path: RULES_PATH,
    pageLimit: RULE_PAGE_LIMIT,
    query: (offset, limit) => ({ offset, limit, ...(ruleName === undefined ? {} : { ruleName }) }),
    noun: "rule",
    parse: (item, source) => parseRuleSummary(item, source, pool.text),
  });
}

/**
 * POSTs a rule, idempotently by name. When the vendor refuses it with a 400 and a rule of that name exists (found
 * with the `ruleName` filter, not a full listing), that rule is returned if its content is the one asked for, and a
 * RuleNameTakenError is thrown otherwise. It is marked `existing: true` (made by someone else: another replica)
 * only when the 400 answered the call's first attempt; after a retried attempt the earlier one may have landed with
 * its reply lost, so the rule counts as created by this call (the journal branch then keeps one create per rule). A 400 with the name free (e.g. an unknown identity id) is thrown as it came.
 */
async function createRule(
  request: VendorRequester,
  input: RuleInput,
  getRule: (ruleId: number) => Promise<Rule>,
): Promise<CreatedRule> {
  try {
    const { body } = await request({
      method: "POST",
      path: RULES_PATH,
      route: RULES_PATH,
      body: input,
      prepaid: true,
    });
    if (body === null)
      throw badResponse({ method: "POST", path: RULES_PATH }, "empty body (expected the rule)");
    return parseRule(body, { method: "POST", path: RULES_PATH });
  } catch (error) {
    if (!(error instanceof VendorApiError && error.status === 400)) throw error;
    const holder = namedLike(await listRules(request, input.ruleName), input.ruleName);
    if (holder === undefined) throw error;
    const existing = await getRule(holder.ruleId);
    if (sameRuleContent(input, existing))
      return error.attempt === 1 ? { ...existing, existing: true } : existing;
    throw new RuleNameTakenError(error, existing);
  }
}

/** The rule with exactly this name, else one whose name differs only in case (names are unique either way). */
function namedLike(rules: RuleSummary[], name: string): RuleSummary | undefined {
  const lower = name.toLowerCase();
  return (
    rules.find((rule) => rule.ruleName === name) ??
    rules.find((rule) => rule.ruleName.toLowerCase() === lower)
  );
}
