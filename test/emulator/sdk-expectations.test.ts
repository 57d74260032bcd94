/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call -- JSON reply bodies are untyped */
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator/start-emulator.js";
import { connect, grantRule, type Api, type Reply } from "./emulator-test-client.js";

// What the vendor's generated Python SDK (strict pydantic models) needs of replies (docs/emulator.md, fidelity notes).
const settingNames = [
  "umbrella.logLevel",
  "umbrella.default.traffic",
  "umbrella.posture.profileIdClientbased",
  "umbrella.posture.ipsProfileId",
  "umbrella.posture.webProfileId",
  "sse.tenantControlProfileId",
  "sse.decryption.logInternet",
  "sse.decryption.logPrivate",
  "sse.globalIPSEnabled",
  "sse.ztaAuthnTimeoutEnabled",
  "sse.ztaAuthnTimeoutMinutes",
  "sse.ztnaSessionTimeoutMinutes",
  "umbrella.m365Compatibility",
];
const timestamp = {
  type: "string",
  pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$",
};
const summary = {
  type: "object",
  required: [
    "ruleId",
    "ruleName",
    "ruleAction",
    "rulePriority",
    "ruleIsDefault",
    "ruleIsEnabled",
    "organizationId",
  ],
  properties: {
    ruleId: { type: "integer" },
    ruleName: { type: "string", maxLength: 50, pattern: "^[A-Za-z0-9 _-]+$" },
    ruleDescription: { type: "string", maxLength: 256 },
    ruleAction: { enum: ["allow", "block"] },
    rulePriority: { type: "integer", minimum: 1 },
    ruleIsDefault: { type: "boolean" },
    ruleIsEnabled: { type: "boolean" },
    organizationId: { type: "integer" },
    modifiedBy: { type: "string" },
    createdAt: timestamp,
    modifiedAt: timestamp,
  },
};
const rule = {
  ...summary,
  required: [...summary.required, "ruleConditions", "ruleSettings"],
  properties: {
    ...summary.properties,
    ruleConditions: {
      type: "array",
      items: {
        type: "object",
        required: ["attributeName", "attributeOperator", "attributeValue"],
        properties: {
          attributeOperator: { enum: ["=", "IN", "INTERSECT", "AND"] },
          attributeValue: {
            anyOf: [
              { type: "string" },
              { type: "boolean" },
              { type: "array", items: { type: "integer" } },
              { type: "object" },
            ],
          },
        },
      },
    },
    ruleSettings: {
      type: "array",
      items: {
        type: "object",
        required: ["settingName", "settingValue"],
        properties: {
          settingName: { enum: settingNames },
          settingValue: { type: ["string", "integer", "boolean"] },
          createdAt: timestamp,
          modifiedAt: timestamp,
        },
      },
    },
  },
};
const identity = {
  type: "object",
  required: ["id", "label", "deleted", "type"],
  properties: {
    id: { type: "integer" },
    label: { type: "string" },
    deleted: { type: "boolean" },
    type: {
      type: "object",
      required: ["id", "label", "type"],
      properties: { id: { type: "integer" }, label: { type: "string" }, type: { type: "string" } },
    },
  },
};
const resource = {
  type: "object",
  required: ["resourceId", "name"],
  properties: {
    resourceId: { type: "integer" },
    name: { type: "string", maxLength: 50, pattern: "^[a-zA-Z0-9 -]+$" },
    description: { type: "string", maxLength: 255 },
  },
};
const ajv = new Ajv2020({ allErrors: true, strict: false });
const schemas = {
  list: ajv.compile({
    type: "object",
    required: ["count", "results"],
    properties: { count: { type: "integer" }, results: { type: "array", items: summary } },
  }),
  rule: ajv.compile(rule),
  identities: ajv.compile({
    type: "object",
    required: ["data", "meta"],
    properties: { data: { type: "array", items: identity }, meta: { type: "object" } },
  }),
  identity: ajv.compile({
    type: "object",
    required: ["data", "meta"],
    properties: { data: identity, meta: { type: "object" } },
  }),
  resources: ajv.compile({
    type: "object",
    required: ["items", "offset", "limit", "total"],
    properties: { items: { type: "array", items: resource } },
  }),
  resource: ajv.compile(resource),
};

function expectValid(name: keyof typeof schemas, reply: Reply): void {
  expect(reply.status).toBe(200);
  expect(reply.headers.get("content-type")).toMatch(/^application\/json/);
  const valid = schemas[name](reply.json);
  expect(schemas[name].errors ?? [], `${name}: ${reply.text.slice(0, 200)}`).toEqual([]);
  expect(valid).toBe(true);
}

let api: Api;
beforeAll(async () => {
  api = await connect(await startEmulator());
  await api.call("POST", "/policies/v2/rules", grantRule("jit-alice-jira-3f9a1c"));
});
afterAll(async () => api.emu.close());

describe("replies satisfy the vendor SDK's models", () => {
  it("rules list and every rule", async () => {
    const list = await api.call("GET", "/policies/v2/rules?limit=1000");
    expectValid("list", list);
    for (const item of list.json.results)
      expectValid("rule", await api.call("GET", `/policies/v2/rules/${item.ruleId}`));
  });

  it("create and update replies", async () => {
    const created = await api.call("POST", "/policies/v2/rules", grantRule("jit-sdk"));
    expectValid("rule", created);
    expectValid(
      "rule",
      await api.call(
        "PUT",
        `/policies/v2/rules/${created.json.ruleId}`,
        grantRule("jit-sdk", { rulePriority: 1 }),
      ),
    );
  });

  it("identities and private resources", async () => {
    expectValid("identities", await api.call("GET", "/reports/v2/identities?limit=100"));
    expectValid("identity", await api.call("GET", "/reports/v2/identities/1173502976"));
    expectValid("resources", await api.call("GET", "/policies/v2/privateResources?limit=100"));
    expectValid("resource", await api.call("GET", "/policies/v2/privateResources/183457"));
  });

  it("parses filters sent as percent-encoded JSON with spaces after separators", async () => {
    const filters = encodeURIComponent(
      JSON.stringify({ ruleIsDefault: false, ruleName: "jit" }).replace(/([,:])/g, "$1 "),
    );
    const reply = await api.call("GET", `/policies/v2/rules?filters=${filters}`);
    expectValid("list", reply);
    expect(reply.json.results.every((item: { ruleName: string }) => item.ruleName.startsWith("jit"))).toBe(
      true,
    );
  });
});
