// An in-memory SecureAccessApi for unit tests: rules, identities and private resources in maps, every call
// recorded, and failures injected per method (the next N calls, optionally only those matching a predicate).
import type {
  Identity,
  PrivateResource,
  Rule,
  RuleInput,
  RuleSummary,
  SecureAccessApi,
} from "../../src/core/model/secure-access-types.js";
import { RuleNameTakenError } from "../../src/secure-access/rule-name-taken-error.js";
import { sameRuleContent } from "../../src/secure-access/same-rule-content.js";
import { VendorApiError } from "../../src/secure-access/vendor-api-error.js";
import { VendorLookupError, type VendorLookupCode } from "../../src/secure-access/vendor-lookup-error.js";

export type ApiMethod = keyof SecureAccessApi;

export interface FakeCall {
  method: ApiMethod;
  args: unknown[];
}

export interface FakeSeed {
  rules?: Rule[];
  identities?: Identity[];
  resources?: PrivateResource[];
}

export interface FakeSecureAccess extends SecureAccessApi {
  readonly rules: Map<number, Rule>;
  readonly identities: Identity[];
  readonly resources: PrivateResource[];
  /** Every call, in order (failed ones too). */
  readonly calls: FakeCall[];
  /** Makes the next `times` (default 1) calls of `method` (those `match` accepts) throw `error`. */
  fail(
    method: ApiMethod,
    error: Error,
    options?: { times?: number; match?: (args: unknown[]) => boolean },
  ): void;
  /** Called before every call (e.g. to abort a signal at the Nth write). */
  onCall: ((call: FakeCall) => void) | null;
}

/** A vendor HTTP error as the real client throws it (code VENDOR_HTTP_<status>, or `code` when given). */
export function vendorError(status: number | null, message: string, code?: string): VendorApiError {
  return new VendorApiError(code ?? (status === null ? "VENDOR_NETWORK" : `VENDOR_HTTP_${status}`), message, {
    status,
    method: "POST",
    path: "/policies/v2/rules",
    vendorMessage: message,
  });
}

interface Failure {
  method: ApiMethod;
  error: Error;
  times: number;
  match: (args: unknown[]) => boolean;
}

export function createFakeSecureAccess(seed: FakeSeed = {}): FakeSecureAccess {
  const rules = new Map<number, Rule>((seed.rules ?? []).map((rule) => [rule.ruleId, structuredClone(rule)]));
  const identities = seed.identities ?? [];
  const resources = seed.resources ?? [];
  const calls: FakeCall[] = [];
  const failures: Failure[] = [];
  let nextRuleId = Math.max(1000, ...rules.keys()) + 1;

  const enter = (method: ApiMethod, args: unknown[]): Promise<void> => {
    const call = { method, args };
    calls.push(call);
    fake.onCall?.(call);
    const failure = failures.find((item) => item.method === method && item.times > 0 && item.match(args));
    if (failure === undefined) return Promise.resolve();
    failure.times--;
    return Promise.reject(failure.error);
  };

  const fake: FakeSecureAccess = {
    rules,
    identities,
    resources,
    calls,
    onCall: null,
    fail(method, error, options = {}) {
      failures.push({ method, error, times: options.times ?? 1, match: options.match ?? (() => true) });
    },
    async listRules() {
      await enter("listRules", []);
      return [...rules.values()].map(summary);
    },
    async findRulesByName(name) {
      await enter("findRulesByName", [name]);
      const needle = name.toLowerCase();
      return [...rules.values()].filter((rule) => rule.ruleName.toLowerCase().includes(needle)).map(summary);
    },
    async getRule(ruleId) {
      await enter("getRule", [ruleId]);
      const rule = rules.get(ruleId);
      if (rule === undefined) throw vendorError(404, "Not Found");
      return structuredClone(rule);
    },
    async createRule(input) {
      await enter("createRule", [input]);
      const holder = [...rules.values()].find((rule) => rule.ruleName === input.ruleName);
      if (holder !== undefined) {
        // The client's contract: idempotent by name (src/secure-access/create-rule-operations.ts).
        if (sameRuleContent(input, holder)) return { ...structuredClone(holder), existing: true };
        const refused = vendorError(400, `A rule with the name '${input.ruleName}' already exists.`);
        throw new RuleNameTakenError(refused, structuredClone(holder));
      }
      const rule = toRule(nextRuleId++, input, rules.size + 1);
      rules.set(rule.ruleId, rule);
      return structuredClone(rule);
    },
    async deleteRule(ruleId) {
      await enter("deleteRule", [ruleId]);
      rules.delete(ruleId);
    },
    async updateRule(ruleId, input) {
      await enter("updateRule", [ruleId, input]);
      if (!rules.has(ruleId)) throw vendorError(404, "Not Found");
      const rule = toRule(ruleId, input, input.rulePriority);
      rules.set(ruleId, rule);
      return structuredClone(rule);
    },
    async findIdentity(label) {
      await enter("findIdentity", [label]);
      return pickOne(
        identities.filter((identity) => identityMatches(identity, label)),
        "IDENTITY",
        label,
      );
    },
    async getIdentity(id) {
      await enter("getIdentity", [id]);
      const found = identities.find((identity) => identity.id === id);
      if (found === undefined) throwLookup("IDENTITY_NOT_FOUND", `no identity has id ${id}`, String(id), []);
      return found;
    },
    async listIdentities() {
      await enter("listIdentities", []);
      return identities.filter((identity) => identity.type.type !== "directory_group");
    },
    async listGroups() {
      await enter("listGroups", []);
      return identities.filter((identity) => identity.type.type === "directory_group");
    },
    async findGroup(name) {
      await enter("findGroup", [name]);
      return pickOne(
        identities.filter(
          (identity) => identity.type.type === "directory_group" && identityMatches(identity, name),
        ),
        "GROUP",
        name,
      );
    },
    async findPrivateResource(name) {
      await enter("findPrivateResource", [name]);
      return pickOne(
        resources.filter((resource) => resource.name === name),
        "RESOURCE",
        name,
      );
    },
    async getPrivateResource(id) {
      await enter("getPrivateResource", [id]);
      const found = resources.find((resource) => resource.resourceId === id);
      if (found === undefined)
        throwLookup("RESOURCE_NOT_FOUND", `no private resource has id ${id}`, String(id), []);
      return found;
    },
    async listPrivateResources() {
      await enter("listPrivateResources", []);
      return [...resources];
    },
  };
  return fake;
}

function summary(rule: Rule): RuleSummary {
  const { ruleConditions: _conditions, ruleSettings: _settings, ...rest } = rule;
  return structuredClone(rest);
}

function toRule(ruleId: number, input: RuleInput, priority: number): Rule {
  return {
    ruleId,
    ruleName: input.ruleName,
    ...(input.ruleDescription === undefined ? {} : { ruleDescription: input.ruleDescription }),
    ruleAction: input.ruleAction,
    rulePriority: priority,
    ruleIsDefault: false,
    ruleIsEnabled: input.ruleIsEnabled ?? true,
    organizationId: 8094936,
    ruleConditions: structuredClone(input.ruleConditions),
    ruleSettings: structuredClone(input.ruleSettings),
  };
}

function identityMatches(identity: Identity, label: string): boolean {
  const wanted = label.toLowerCase();
  const upn = /\(([^)]+)\)\s*$/.exec(identity.label)?.[1];
  return identity.label.toLowerCase() === wanted || upn?.toLowerCase() === wanted;
}

function pickOne<T extends { name?: string; label?: string }>(
  matches: T[],
  kind: "IDENTITY" | "GROUP" | "RESOURCE",
  query: string,
): T {
  if (matches.length === 1) return matches[0]!;
  const candidates = matches.map((item) => item.label ?? item.name ?? "");
  const code = matches.length === 0 ? (`${kind}_NOT_FOUND` as const) : (`${kind}_AMBIGUOUS` as const);
  const what = matches.length === 0 ? "no match" : `several matches: ${candidates.join(", ")}`;
  return throwLookup(code, `${kind.toLowerCase()} "${query}": ${what}`, query, candidates);
}

function throwLookup(code: VendorLookupCode, message: string, query: string, candidates: string[]): never {
  throw new VendorLookupError(code, message, { query, candidates, path: "/lookup" });
}
