import type { Rule, RuleInput, RuleSummary } from "../core/model/secure-access-types.js";
import { badResponse } from "./bad-response.js";
import { collectPages } from "./collect-pages.js";
import type { VendorRequester } from "./create-vendor-requester.js";
import { createWriteQueue } from "./create-write-queue.js";
import { extractList } from "./extract-list.js";
import { parseRule, parseRuleSummary } from "./parse-rule.js";
import { VendorApiError } from "./vendor-api-error.js";

export const RULES_PATH = "/policies/v2/rules";
export const RULE_PAGE_LIMIT = 1000;
const RULE_ROUTE = `${RULES_PATH}/{ruleId}`;

export interface RuleOperations {
  listRules(): Promise<RuleSummary[]>;
  getRule(ruleId: number): Promise<Rule>;
  createRule(input: RuleInput): Promise<Rule>;
  updateRule(ruleId: number, input: RuleInput & { rulePriority: number }): Promise<Rule>;
  deleteRule(ruleId: number): Promise<void>;
}

/** Rule CRUD (§4). Writes go through one queue: one rule write at a time per client (= organization). */
export function createRuleOperations(request: VendorRequester): RuleOperations {
  const write = createWriteQueue();
  const getRule = async (ruleId: number): Promise<Rule> => {
    const path = `${RULES_PATH}/${ruleId}`;
    const { body } = await request({ method: "GET", path, route: RULE_ROUTE });
    return parseRule(body, { method: "GET", path });
  };

  return {
    listRules: () => listRules(request),
    getRule,
    createRule: (input) => write(() => createRule(request, input, getRule)),
    updateRule: (ruleId, input) =>
      write(async () => {
        const path = `${RULES_PATH}/${ruleId}`;
        const { body } = await request({ method: "PUT", path, route: RULE_ROUTE, body: input });
        return body === null ? getRule(ruleId) : parseRule(body, { method: "PUT", path });
      }),
    deleteRule: (ruleId) =>
      write(async () => {
        const path = `${RULES_PATH}/${ruleId}`;
        try {
          await request({ method: "DELETE", path, route: RULE_ROUTE });
        } catch (error) {
          if (!(error instanceof VendorApiError && error.status === 404)) throw error;
        }
      }),
  };
}

async function listRules(request: VendorRequester, ruleName?: string): Promise<RuleSummary[]> {
  const source = { method: "GET", path: RULES_PATH };
  return collectPages(
    RULE_PAGE_LIMIT,
    async (offset, limit) => {
      const { body } = await request({
        method: "GET",
        path: RULES_PATH,
        route: RULES_PATH,
        query: { offset, limit, ...(ruleName === undefined ? {} : { ruleName }) },
      });
      const items = extractList(body);
      if (items === null) throw badResponse(source, "no rule list (results/result) in the body");
      return items.map((item) => parseRuleSummary(item, source));
    },
    () => badResponse(source, "too many pages of rules"),
  );
}

/**
 * POST a rule. When an earlier attempt of this call may have landed (network error, timeout, 5xx) and a
 * retry is then refused with a 400 (the name already exists), the rule with that exact name is returned.
 */
async function createRule(
  request: VendorRequester,
  input: RuleInput,
  getRule: (ruleId: number) => Promise<Rule>,
): Promise<Rule> {
  let mayHaveLanded = false;
  try {
    const { body } = await request({
      method: "POST",
      path: RULES_PATH,
      route: RULES_PATH,
      body: input,
      onAttemptError: (error) => {
        if (isAmbiguous(error)) mayHaveLanded = true;
      },
    });
    if (body === null)
      throw badResponse({ method: "POST", path: RULES_PATH }, "empty body (expected the rule)");
    return parseRule(body, { method: "POST", path: RULES_PATH });
  } catch (error) {
    if (!(mayHaveLanded && error instanceof VendorApiError && error.status === 400)) throw error;
    const landed = (await listRules(request, input.ruleName)).find(
      (rule) => rule.ruleName === input.ruleName,
    );
    if (landed === undefined) throw error;
    return getRule(landed.ruleId);
  }
}

function isAmbiguous(error: VendorApiError): boolean {
  return (
    error.code === "VENDOR_NETWORK" ||
    error.code === "VENDOR_TIMEOUT" ||
    (error.status !== null && error.status >= 500)
  );
}
