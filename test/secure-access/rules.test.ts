import { afterEach, describe, expect, it } from "vitest";
import { makeTestClient } from "./make-test-client.js";
import {
  ruleJson,
  startScriptedServer,
  withTokens,
  type Reply,
  type ScriptedServer,
} from "./scripted-server.js";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const api = (s: ScriptedServer) => s.requests.filter((r) => r.pathname !== "/auth/v2/token");

/** A rules list endpoint over `total` rules, answering with `key` as the list key. */
function rulesPages(total: number, key = "results") {
  return withTokens((request): Reply => {
    const offset = Number(request.query.get("offset") ?? 0);
    const limit = Number(request.query.get("limit") ?? 10);
    const items = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) =>
      ruleJson(offset + i + 1),
    );
    return { status: 200, body: { count: total, [key]: items } };
  });
}

const input = {
  ruleName: "grantops-alice-jira-3f9a1c",
  ruleDescription: "grantops/v1 exp=2026-11-26T18:00Z",
  ruleAction: "allow" as const,
  ruleIsEnabled: true,
  ruleConditions: [
    {
      attributeName: "umbrella.source.identity_ids",
      attributeOperator: "INTERSECT" as const,
      attributeValue: [1],
    },
  ],
  ruleSettings: [{ settingName: "umbrella.default.traffic", settingValue: "PRIVATE_NETWORK" }],
};

describe("listRules", () => {
  it.each([
    { total: 0, pages: 1 },
    { total: 999, pages: 1 },
    { total: 1000, pages: 2 },
    { total: 2500, pages: 3 },
  ])("pages $total rules with limit 1000 in $pages requests", async ({ total, pages }) => {
    server = await startScriptedServer(rulesPages(total));
    const { client } = makeTestClient(server.url);
    const rules = await client.listRules();
    expect(rules).toHaveLength(total);
    expect(new Set(rules.map((r) => r.ruleId)).size).toBe(total);
    expect(api(server).map((r) => [r.query.get("offset"), r.query.get("limit")])).toEqual(
      Array.from({ length: pages }, (_, i) => [String(i * 1000), "1000"]),
    );
  });

  it.each(["results", "result", "data", "items"])("accepts the list key %s", async (key) => {
    server = await startScriptedServer(rulesPages(3, key));
    const { client } = makeTestClient(server.url);
    expect(await client.listRules()).toHaveLength(3);
  });

  it("prefers results over result when a server sends both", async () => {
    server = await startScriptedServer(
      withTokens(() => ({ status: 200, body: { count: 1, result: [], results: [ruleJson(9)] } })),
    );
    const { client } = makeTestClient(server.url);
    expect((await client.listRules()).map((r) => r.ruleId)).toEqual([9]);
  });

  it("parses leniently: stringified booleans, float ids, timestamps kept as sent", async () => {
    const raw =
      '{"count":1,"result":[{"ruleId":8094936.0,"ruleName":"a","ruleAction":"allow","rulePriority":"3",' +
      '"ruleIsDefault":"false","ruleIsEnabled":"true","organizationId":"8094936.0",' +
      '"createdAt":"2024-03-28 18:17:36","modifiedAt":"2023-11-13T21:28:54+00:00"}]}';
    server = await startScriptedServer(withTokens(() => ({ status: 200, body: raw })));
    const { client } = makeTestClient(server.url);
    expect(await client.listRules()).toEqual([
      {
        ruleId: 8094936,
        ruleName: "a",
        ruleAction: "allow",
        rulePriority: 3,
        ruleIsDefault: false,
        ruleIsEnabled: true,
        organizationId: 8094936,
        createdAt: "2024-03-28 18:17:36",
        modifiedAt: "2023-11-13T21:28:54+00:00",
      },
    ]);
  });

  it("fails the whole listing when a later page fails after its retries (never a partial list)", async () => {
    server = await startScriptedServer(
      withTokens((request): Reply => {
        if (request.query.get("offset") !== "0")
          return { status: 500, body: { error: "Internal Server Error" } };
        return { status: 200, body: { results: Array.from({ length: 1000 }, (_, i) => ruleJson(i + 1)) } };
      }),
    );
    const { client } = makeTestClient(server.url);
    await expect(client.listRules()).rejects.toMatchObject({ code: "VENDOR_HTTP_500" });
    expect(api(server)).toHaveLength(5);
  });

  it.each([
    { name: "a body that is not JSON", body: "<html>", pattern: /not JSON/ },
    { name: "no list key", body: { count: 3 }, pattern: /no rule list/ },
    { name: "an item without ruleId", body: { results: [{ ruleName: "x" }] }, pattern: /ruleId/ },
  ])("rejects $name with VENDOR_BAD_RESPONSE and no retry", async ({ body, pattern }) => {
    server = await startScriptedServer(withTokens(() => ({ status: 200, body })));
    const { client } = makeTestClient(server.url);
    const error = await client.listRules().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "VENDOR_BAD_RESPONSE", path: "/policies/v2/rules" });
    expect((error as Error).message).toMatch(pattern);
    expect(api(server)).toHaveLength(1);
  });
});

describe("rule reads and writes", () => {
  it("getRule parses conditions (float/string id arrays) and settings", async () => {
    const body = ruleJson(7, {
      ruleConditions: [
        {
          attributeName: "umbrella.source.identity_ids",
          attributeOperator: "INTERSECT",
          attributeValue: ["5", 6.0],
        },
        { attributeName: "umbrella.source.all", attributeOperator: "=", attributeValue: "true" },
      ],
      ruleSettings: [
        { settingName: "umbrella.logLevel", settingValue: "LOG_ALL", createdAt: "2024-03-28T18:17:36" },
      ],
    });
    server = await startScriptedServer(withTokens(() => ({ status: 200, body })));
    const { client } = makeTestClient(server.url);
    const rule = await client.getRule(7);
    expect(rule.ruleConditions.map((c) => c.attributeValue)).toEqual([[5, 6], true]);
    expect(rule.ruleSettings).toEqual([
      { settingName: "umbrella.logLevel", settingValue: "LOG_ALL", createdAt: "2024-03-28T18:17:36" },
    ]);
    expect(api(server)[0]?.pathname).toBe("/policies/v2/rules/7");
  });

  it.each([200, 201])("createRule POSTs JSON and accepts HTTP %i", async (status) => {
    server = await startScriptedServer(
      withTokens(() => ({ status, body: ruleJson(11, { ruleName: input.ruleName }) })),
    );
    const { client } = makeTestClient(server.url);
    const rule = await client.createRule(input);
    expect(rule).toMatchObject({
      ruleId: 11,
      ruleName: input.ruleName,
      ruleConditions: [],
      ruleSettings: [],
    });
    const [post] = api(server);
    expect(post).toMatchObject({ method: "POST", pathname: "/policies/v2/rules" });
    expect(post?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(post?.body ?? "")).toEqual(input);
  });

  it("updateRule PUTs the full body with rulePriority", async () => {
    server = await startScriptedServer(withTokens(() => ({ status: 200, body: ruleJson(5) })));
    const { client } = makeTestClient(server.url);
    await client.updateRule(5, { ...input, rulePriority: 4 });
    const [put] = api(server);
    expect(put).toMatchObject({ method: "PUT", pathname: "/policies/v2/rules/5" });
    expect(JSON.parse(put?.body ?? "")).toMatchObject({ rulePriority: 4, ruleName: input.ruleName });
  });

  it.each<{ name: string; reply: Reply }>([
    { name: "200 with an empty body", reply: { status: 200 } },
    { name: "200 with a JSON body", reply: { status: 200, body: { msg: "deleted" } } },
    { name: "204", reply: { status: 204 } },
    { name: "404 (already gone)", reply: { status: 404, body: { error: "Not Found" } } },
  ])("deleteRule is done on $name", async ({ reply }) => {
    server = await startScriptedServer(withTokens(() => reply));
    const { client } = makeTestClient(server.url);
    await expect(client.deleteRule(3)).resolves.toBeUndefined();
    expect(api(server)).toMatchObject([{ method: "DELETE", pathname: "/policies/v2/rules/3" }]);
  });

  it("deleteRule after a lost reply then 404 is done", async () => {
    server = await startScriptedServer(withTokens((_r, i) => (i === 0 ? "reset" : { status: 404 })));
    const { client } = makeTestClient(server.url);
    await expect(client.deleteRule(3)).resolves.toBeUndefined();
    expect(api(server)).toHaveLength(2);
  });

  it("createRule whose first reply was lost returns the rule that landed (400 duplicate on retry)", async () => {
    let landed = false;
    server = await startScriptedServer(
      withTokens((request): Reply => {
        if (request.method === "POST") {
          if (!landed) {
            landed = true;
            return "reset";
          }
          return { status: 400, body: { error: "Rule name already exists", requestId: "dup" } };
        }
        if (request.pathname === "/policies/v2/rules") {
          expect(request.query.get("ruleName")).toBe(input.ruleName);
          return {
            status: 200,
            body: { results: [ruleJson(77, { ruleName: input.ruleName }), ruleJson(78)] },
          };
        }
        return { status: 200, body: ruleJson(77, input) };
      }),
    );
    const { client } = makeTestClient(server.url);
    expect(await client.createRule(input)).toMatchObject({ ruleId: 77, ruleName: input.ruleName });
    expect(api(server).map((r) => `${r.method} ${r.pathname}`)).toEqual([
      "POST /policies/v2/rules",
      "POST /policies/v2/rules",
      "GET /policies/v2/rules",
      "GET /policies/v2/rules/77",
    ]);
  });

  it("a 400 on createRule with the name free is thrown as it came, after one lookup by name", async () => {
    server = await startScriptedServer(
      withTokens((request): Reply => {
        if (request.method === "POST") return { status: 400, body: { error: "invalid data passed" } };
        return { status: 200, body: { results: [ruleJson(78, { ruleName: `${input.ruleName}-old` })] } };
      }),
    );
    const { client } = makeTestClient(server.url);
    await expect(client.createRule(input)).rejects.toMatchObject({
      code: "VENDOR_HTTP_400",
      vendorMessage: "invalid data passed",
    });
    expect(api(server).map((r) => `${r.method} ${r.pathname} ${r.query.get("ruleName")}`)).toEqual([
      "POST /policies/v2/rules null",
      `GET /policies/v2/rules ${input.ruleName}`,
    ]);
  });

  it("serialises rule writes (one in flight at a time) but not reads", async () => {
    let inFlight = 0;
    let maxWrites = 0;
    let maxReads = 0;
    let release: (() => void) | undefined;
    const readsArrived = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reads = 0;
    server = await startScriptedServer(
      withTokens(async (request): Promise<Reply> => {
        if (request.method === "GET") {
          reads += 1;
          inFlight += 1;
          maxReads = Math.max(maxReads, inFlight);
          if (reads === 2) release?.();
          await readsArrived; // the first read waits until the second one has reached the server
          inFlight -= 1;
          return { status: 200, body: ruleJson(1) };
        }
        inFlight += 1;
        maxWrites = Math.max(maxWrites, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight -= 1;
        return request.method === "DELETE" ? { status: 200 } : { status: 200, body: ruleJson(2) };
      }),
    );
    const { client } = makeTestClient(server.url);
    await Promise.all([client.getRule(1), client.getRule(1)]);
    expect(maxReads).toBe(2);
    inFlight = 0;
    await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => client.createRule({ ...input, ruleName: `r${i}` })),
      client.updateRule(2, { ...input, rulePriority: 1 }),
      client.deleteRule(2),
    ]);
    expect(maxWrites).toBe(1);
    expect(
      api(server)
        .filter((r) => r.method !== "GET")
        .map((r) => r.method),
      // A delete never waits behind creates (they first wait for room in the vendor's windows); writes of one
      // kind keep their call order.
    ).toEqual(["DELETE", ...Array.from({ length: 8 }, () => "POST"), "PUT"]);
  });

  it("a failed write does not block the writes queued behind it", async () => {
    server = await startScriptedServer(
      withTokens((request): Reply =>
        (JSON.parse(request.body || "{}") as { ruleName?: string }).ruleName === "bad"
          ? { status: 400, body: { error: "ruleName invalid" } }
          : { status: 200, body: ruleJson(3) },
      ),
    );
    const { client } = makeTestClient(server.url);
    const results = await Promise.allSettled([
      client.createRule({ ...input, ruleName: "bad" }),
      client.createRule({ ...input, ruleName: "good" }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled"]);
  });
});
