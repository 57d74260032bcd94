import { EmulatorApiError } from "./emulator-api-error.js";
import type { RouteReply, RouteRequest } from "./emulator-runtime.js";
import { readJsonBody } from "./http-io.js";
import { getIdentity, listIdentities, postIdentities } from "./identities.js";
import { listRules } from "./list-rules.js";
import { getPrivateResource, listPrivateResources } from "./private-resources.js";
import type { RouteDef } from "./route-table.js";
import {
  bulkSetEnabled,
  createRule,
  deleteRule,
  findRule,
  updateRule,
  type WriteStamp,
} from "./rules-store.js";
import { tokenRoute } from "./token-route.js";
import { validateRuleInput } from "./validate-rule-input.js";

const rulesRead = "policies.rules:read";
const rulesWrite = "policies.rules:write";
const resourcesRead = "policies.privateresources:read";
const identitiesRead = "reports.utilities:read";

const ruleRead = ["rules", "reads", "policies"];
const ruleWrite = ["rules", "writes", "policies"];
const resourceRead = ["privateresources", "reads", "policies"];
const reportRead = ["reports", "reads"];

/** Every emulated vendor route (docs/vendor-client.md, vendor API facts; docs/emulator.md). */
export const vendorRoutes: readonly RouteDef[] = [
  { method: "POST", pattern: "/auth/v2/token", area: "auth", groups: ["token"], handle: tokenRoute },
  {
    method: "GET",
    pattern: "/policies/v2/rules",
    area: "policies",
    scope: rulesRead,
    groups: ruleRead,
    handle: ({ runtime, query }) => ok(listRules(runtime.state, query, runtime.listKey)),
  },
  {
    method: "POST",
    pattern: "/policies/v2/rules",
    area: "policies",
    scope: rulesWrite,
    groups: ruleWrite,
    ruleWrite: true,
    handle: async (request) => {
      const input = validateRuleInput(await readJsonBody(request.req), false);
      return ok(createRule(request.runtime.state, input, stampOf(request)));
    },
  },
  {
    method: "PUT",
    pattern: "/policies/v2/rules",
    area: "policies",
    scope: rulesWrite,
    groups: ruleWrite,
    ruleWrite: true,
    handle: async (request) =>
      ok(bulkSetEnabled(request.runtime.state, await readJsonBody(request.req), stampOf(request))),
  },
  {
    method: "GET",
    pattern: "/policies/v2/rules/{ruleId}",
    area: "policies",
    scope: rulesRead,
    groups: ruleRead,
    handle: ({ runtime, params }) => ok(findRule(runtime.state, idParam(params["ruleId"], "ruleId"))),
  },
  {
    method: "PUT",
    pattern: "/policies/v2/rules/{ruleId}",
    area: "policies",
    scope: rulesWrite,
    groups: ruleWrite,
    ruleWrite: true,
    handle: async (request) => {
      const ruleId = idParam(request.params["ruleId"], "ruleId");
      findRule(request.runtime.state, ruleId);
      const input = validateRuleInput(await readJsonBody(request.req), true);
      return ok(updateRule(request.runtime.state, ruleId, input, stampOf(request)));
    },
  },
  {
    method: "DELETE",
    pattern: "/policies/v2/rules/{ruleId}",
    area: "policies",
    scope: rulesWrite,
    groups: ruleWrite,
    ruleWrite: true,
    handle: ({ runtime, params }) => {
      deleteRule(runtime.state, idParam(params["ruleId"], "ruleId"));
      return { status: 200 };
    },
  },
  {
    method: "GET",
    pattern: "/policies/v2/privateResources",
    area: "policies",
    scope: resourcesRead,
    groups: resourceRead,
    handle: ({ runtime, query }) => ok(listPrivateResources(runtime.state, query)),
  },
  {
    method: "GET",
    pattern: "/policies/v2/privateResources/{id}",
    area: "policies",
    scope: resourcesRead,
    groups: resourceRead,
    handle: ({ runtime, params }) => ok(getPrivateResource(runtime.state, idParam(params["id"], "id"))),
  },
  {
    method: "GET",
    pattern: "/reports/v2/identities",
    area: "reports",
    scope: identitiesRead,
    groups: reportRead,
    handle: ({ runtime, query }) => ok(listIdentities(runtime.state, query)),
  },
  {
    method: "POST",
    pattern: "/reports/v2/identities",
    area: "reports",
    scope: identitiesRead,
    groups: reportRead,
    handle: async ({ runtime, query, req }) =>
      ok(postIdentities(runtime.state, query, await readJsonBody(req))),
  },
  {
    method: "GET",
    pattern: "/reports/v2/identities/{identityid}",
    area: "reports",
    scope: identitiesRead,
    groups: reportRead,
    handle: ({ runtime, params }) =>
      ok(getIdentity(runtime.state, idParam(params["identityid"], "identityid"))),
  },
];

function ok(body: unknown): RouteReply {
  return { status: 200, body };
}

function idParam(value: string | undefined, name: string): number {
  if (value === undefined || !/^\d{1,15}$/.test(value))
    throw new EmulatorApiError(400, `${name} must be an integer`);
  return Number(value);
}

function stampOf(request: RouteRequest): WriteStamp {
  return {
    actor: `service/grantops/key/${request.apiKey?.key ?? "unknown"}`,
    nowIso: new Date(request.runtime.clock()).toISOString(),
  };
}
