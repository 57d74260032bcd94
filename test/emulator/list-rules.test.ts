/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument -- JSON reply bodies are untyped */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator/start-emulator.js";
import { connect, grantRule, type Api } from "./emulator-test-client.js";

let api: Api;
beforeAll(async () => {
  api = await connect(await startEmulator());
  for (let i = 1; i <= 22; i++) {
    const body = grantRule(`jit-user${String(i).padStart(2, "0")}`, {
      ruleIsEnabled: i % 2 === 0,
      ruleDescription: i <= 3 ? `grantops/v1 exp=2026-11-26T18:00Z grant=team/g${i}` : "other",
      ...(i === 5 ? { ruleAction: "block" } : {}),
    });
    expect((await api.call("POST", "/policies/v2/rules", body)).status).toBe(200);
  }
});
afterAll(async () => api.emu.close());

function list(query: string): Promise<{ status: number; json: any }> {
  return api.call("GET", `/policies/v2/rules${query}`);
}
function names(json: any): string[] {
  return (json.results as Array<{ ruleName: string }>).map((rule) => rule.ruleName);
}

describe("GET /policies/v2/rules paging", () => {
  it("defaults to 10 items in priority order with count = all matches", async () => {
    const reply = await list("");
    expect(reply.status).toBe(200);
    expect(reply.json.count).toBe(25);
    expect(reply.json.results).toHaveLength(10);
    expect(reply.json.results.map((r: { rulePriority: number }) => r.rulePriority)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
  });

  it.each([
    ["?limit=1000", 200, 25],
    ["?limit=1", 200, 1],
    ["?offset=20&limit=10", 200, 5],
    ["?offset=25", 200, 0],
    ["?offset=500&limit=1000", 200, 0],
  ])("%s → %i with %i items", async (query, status, items) => {
    const reply = await list(query);
    expect(reply.status).toBe(status);
    expect(reply.json.results).toHaveLength(items);
    expect(reply.json.count).toBe(25);
  });

  it.each(["?limit=1001", "?limit=0", "?limit=-1", "?limit=ten", "?offset=-1", "?offset=1.5"])(
    "%s → 400 {error, requestId}",
    async (query) => {
      const reply = await list(query);
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual({ error: expect.any(String), requestId: expect.any(String) });
    },
  );

  it("lists items without ruleConditions or ruleSettings", async () => {
    const reply = await list("?limit=1000");
    for (const item of reply.json.results) {
      expect(item).not.toHaveProperty("ruleConditions");
      expect(item).not.toHaveProperty("ruleSettings");
      expect(Object.keys(item).sort()).toEqual([
        "createdAt",
        "modifiedAt",
        "modifiedBy",
        "organizationId",
        "ruleAction",
        "ruleDescription",
        "ruleId",
        "ruleIsDefault",
        "ruleIsEnabled",
        "ruleName",
        "rulePriority",
      ]);
    }
  });
});

describe("GET /policies/v2/rules search and filters", () => {
  it("matches ruleName as a case-insensitive substring", async () => {
    expect(names((await list("?ruleName=USER0&limit=100")).json)).toHaveLength(9);
    expect(names((await list("?ruleName=jit-user22")).json)).toEqual(["jit-user22"]);
    expect((await list("?ruleName=nothing")).json).toEqual({ count: 0, results: [] });
  });

  it.each([
    [{ ruleIsDefault: true }, 2],
    [{ ruleIsEnabled: false }, 11],
    [{ ruleIsEnabled: "true", ruleName: "jit" }, 11],
    [{ ruleAction: "block" }, 2],
    [{ ruleDescription: "grantops/v1" }, 3],
    [{ ruleName: "wiki" }, 1],
    [{ rulePriority: "1,2,3" }, 3],
    [{ attributeName: "umbrella.source.identity_ids", attributeValue: [1173600001] }, 1],
    [
      {
        sources: [{ "umbrella.source.identity_ids": "*" }],
        destinations: [{ "umbrella.destination.private_resource_ids": 183456 }],
      },
      22,
    ],
    [{ settingName: "umbrella.default.traffic", settingValue: "PUBLIC_INTERNET" }, 1],
  ])("filters=%j → %i matches", async (filters, count) => {
    const reply = await list(`?limit=1000&filters=${encodeURIComponent(JSON.stringify(filters, null, 1))}`);
    expect(reply.status).toBe(200);
    expect(reply.json.count).toBe(count);
    expect(reply.json.results).toHaveLength(count);
  });

  it.each([
    ["not JSON", "{ruleName:"],
    ["a JSON array", "[1]"],
    ["an unknown key", JSON.stringify({ colour: "red" })],
    ["a bad boolean", JSON.stringify({ ruleIsEnabled: "yes" })],
    ["ruleConditions with sources", JSON.stringify({ ruleConditions: [], sources: [] })],
  ])("answers filters with %s 400", async (_name, filters) => {
    const reply = await list(`?filters=${encodeURIComponent(filters)}`);
    expect(reply.status).toBe(400);
    expect(reply.json.error).toEqual(expect.any(String));
  });
});

describe("list key", () => {
  it.each([
    ["result", ["count", "result"]],
    ["both", ["count", "result", "results"]],
    ["results", ["count", "results"]],
  ] as const)("listKey %s → keys %j", async (listKey, keys) => {
    const emu = await startEmulator({ listKey });
    const other = await connect(emu);
    const reply = await other.call("GET", "/policies/v2/rules");
    expect(Object.keys(reply.json).sort()).toEqual(keys);
    if (listKey === "both") expect(reply.json.result).toEqual(reply.json.results);
    await emu.close();
  });
});
