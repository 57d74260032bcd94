/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call -- JSON reply bodies are untyped */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator/start-emulator.js";
import { connect, fakeClock, grantRule, type Api } from "./emulator-test-client.js";

const uuid = /^[0-9a-f-]{36}$/;
const clock = fakeClock();
let api: Api;
beforeEach(async () => {
  api = await connect(await startEmulator({ clock: clock.now }));
});
afterEach(async () => api.emu.close());

describe("POST /policies/v2/rules validation", () => {
  const conditions = (grantRule("x")["ruleConditions"] as unknown[]) ?? [];
  it.each([
    ["a missing ruleName", { ruleName: undefined }, /ruleName is required/],
    ["a 1-character name", { ruleName: "a" }, /2 to 50/],
    ["a 51-character name", { ruleName: "a".repeat(51) }, /2 to 50/],
    ["a name with a dot", { ruleName: "jit.alice" }, /must match/],
    ["a name with a colon", { ruleName: "jit:alice" }, /must match/],
    ["a name with a tab", { ruleName: "jit\talice" }, /must match/],
    ["a name with an @", { ruleName: "alice@example" }, /must match/],
    ["a 257-character description", { ruleDescription: "d".repeat(257) }, /ruleDescription/],
    ["a missing action", { ruleAction: undefined }, /ruleAction is required/],
    ["action warn", { ruleAction: "warn" }, /allow, block/],
    ["empty conditions", { ruleConditions: [] }, /ruleConditions must be a non-empty array/],
    ["missing settings", { ruleSettings: undefined }, /ruleSettings is required/],
    ["empty settings", { ruleSettings: [] }, /ruleSettings must be a non-empty array/],
    [
      "an operator outside the enum",
      { ruleConditions: [{ ...(conditions[0] as object), attributeOperator: "EQUAL" }] },
      /attributeOperator/,
    ],
    ["a string priority", { rulePriority: "1" }, /rulePriority/],
    ["priority 0", { rulePriority: 0 }, /rulePriority/],
  ])("rejects %s with 400 {error, requestId}", async (_name, overrides, message) => {
    const reply = await api.call("POST", "/policies/v2/rules", grantRule("jit-alice-jira", overrides));
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({
      error: expect.stringMatching(message),
      requestId: expect.stringMatching(uuid),
    });
    expect(api.emu.state.rules).toHaveLength(3);
  });

  it("lists every problem of a body at once", async () => {
    const reply = await api.call("POST", "/policies/v2/rules", { ruleName: "x", ruleAction: "warn" });
    expect(reply.json.error).toMatch(/ruleName.*ruleAction.*ruleConditions.*ruleSettings/);
  });

  it("accepts 2- and 50-character names of letters, digits, space, - and _", async () => {
    for (const name of ["ab", "a".repeat(50), "jit alice_jira-2026 X"]) {
      expect((await api.call("POST", "/policies/v2/rules", grantRule(name))).status).toBe(200);
    }
  });

  it("rejects a duplicate name (case-insensitive) with 400 'already exists'", async () => {
    expect((await api.call("POST", "/policies/v2/rules", grantRule("jit-alice"))).status).toBe(200);
    for (const name of ["jit-alice", "JIT-ALICE", "Engineering wiki access"]) {
      const reply = await api.call("POST", "/policies/v2/rules", grantRule(name));
      expect(reply.status).toBe(400);
      expect(reply.json.error).toMatch(/already exists/);
    }
  });

  it.each([
    ["an unknown identity", "umbrella.source.identity_ids", [1173502975, 999]],
    ["a deleted identity (mallory)", "umbrella.source.identity_ids", [1173502980]],
    ["an unknown private resource", "umbrella.destination.private_resource_ids", [183456, 42]],
  ])("rejects %s with 400 'invalid data passed. the ID's provided for …'", async (_name, attribute, ids) => {
    const body = grantRule("jit-refs");
    body["ruleConditions"] = (body["ruleConditions"] as Array<{ attributeName: string }>).map((condition) =>
      condition.attributeName === attribute ? { ...condition, attributeValue: ids } : condition,
    );
    const reply = await api.call("POST", "/policies/v2/rules", body);
    expect(reply.status).toBe(400);
    expect(reply.json.error).toMatch(
      new RegExp(`^invalid data passed\\. the ID's provided for ${attribute.replaceAll(".", "\\.")}`),
    );
  });
});

describe("rule CRUD", () => {
  it("creates: 200 with the full rule, conditions echoed, createdAt === modifiedAt, organizationId and modifiedBy", async () => {
    const body = grantRule("jit-alice-jira");
    const reply = await api.call("POST", "/policies/v2/rules", body);
    expect(reply.status).toBe(200);
    const rule = reply.json;
    expect(rule).toMatchObject({
      ruleId: expect.any(Number),
      ruleName: "jit-alice-jira",
      ruleAction: "allow",
      ruleIsDefault: false,
      ruleIsEnabled: true,
      organizationId: 8094936,
      modifiedBy: "service/grantops/key/grantops-demo-key",
      rulePriority: 2,
      ruleConditions: body["ruleConditions"],
    });
    expect(rule.createdAt).toBe(new Date(clock.now()).toISOString());
    expect(rule.modifiedAt).toBe(rule.createdAt);
    expect(rule.ruleSettings[0]).toEqual({
      ...(body["ruleSettings"] as object[])[0],
      createdAt: rule.createdAt,
      modifiedAt: rule.createdAt,
    });
    expect((await api.call("GET", `/policies/v2/rules/${rule.ruleId}`)).json).toEqual(rule);
  });

  it("defaults ruleIsEnabled to true and ruleDescription to an empty string", async () => {
    const body = grantRule("jit-defaults");
    delete body["ruleIsEnabled"];
    delete body["ruleDescription"];
    const rule = (await api.call("POST", "/policies/v2/rules", body)).json;
    expect(rule).toMatchObject({ ruleIsEnabled: true, ruleDescription: "" });
  });

  it("GET by id: 404 {error, requestId} when unknown, 400 when not numeric", async () => {
    const missing = await api.call("GET", "/policies/v2/rules/123");
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: "Not Found", requestId: expect.stringMatching(uuid) });
    expect((await api.call("GET", "/policies/v2/rules/abc")).status).toBe(400);
  });

  it("PUT: requires rulePriority, replaces fully, bumps modifiedAt only", async () => {
    const created = (await api.call("POST", "/policies/v2/rules", grantRule("jit-put"))).json;
    const noPriority = await api.call("PUT", `/policies/v2/rules/${created.ruleId}`, grantRule("jit-put"));
    expect(noPriority.status).toBe(400);
    expect(noPriority.json.error).toMatch(/rulePriority is required/);
    clock.advance(5000);
    const updated = await api.call(
      "PUT",
      `/policies/v2/rules/${created.ruleId}`,
      grantRule("jit-put-renamed", {
        rulePriority: created.rulePriority,
        ruleIsEnabled: false,
        ruleDescription: undefined,
      }),
    );
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({
      ruleId: created.ruleId,
      ruleName: "jit-put-renamed",
      ruleIsEnabled: false,
      ruleDescription: "",
    });
    expect(updated.json.createdAt).toBe(created.createdAt);
    expect(updated.json.modifiedAt).not.toBe(created.modifiedAt);
  });

  it("PUT: 404 for an unknown id, 400 for a default rule, a duplicate name, or an action change", async () => {
    expect((await api.call("PUT", "/policies/v2/rules/1", grantRule("x1", { rulePriority: 1 }))).status).toBe(
      404,
    );
    const defaultRule = await api.call(
      "PUT",
      "/policies/v2/rules/700002",
      grantRule("Default Internet Rule", { rulePriority: 2 }),
    );
    expect(defaultRule.status).toBe(400);
    const created = (await api.call("POST", "/policies/v2/rules", grantRule("jit-put2"))).json;
    const clash = await api.call(
      "PUT",
      `/policies/v2/rules/${created.ruleId}`,
      grantRule("Engineering wiki access", { rulePriority: 1 }),
    );
    expect(clash.json.error).toMatch(/already exists/);
    const action = await api.call(
      "PUT",
      `/policies/v2/rules/${created.ruleId}`,
      grantRule("jit-put2", { rulePriority: 2, ruleAction: "block" }),
    );
    expect(action.status).toBe(400);
  });

  it("DELETE: 200 with an empty body, then 404; default rules answer 400", async () => {
    const created = (await api.call("POST", "/policies/v2/rules", grantRule("jit-del"))).json;
    const deleted = await api.call("DELETE", `/policies/v2/rules/${created.ruleId}`);
    expect(deleted.status).toBe(200);
    expect(deleted.text).toBe("");
    expect((await api.call("DELETE", `/policies/v2/rules/${created.ruleId}`)).status).toBe(404);
    expect((await api.call("GET", `/policies/v2/rules/${created.ruleId}`)).status).toBe(404);
    const defaultRule = await api.call("DELETE", "/policies/v2/rules/700003");
    expect(defaultRule.status).toBe(400);
    expect(api.emu.state.rules).toHaveLength(3);
  });

  it("bulk PUT /policies/v2/rules pairs ruleIds and properties by index and returns summaries", async () => {
    const a = (await api.call("POST", "/policies/v2/rules", grantRule("jit-a"))).json;
    const b = (await api.call("POST", "/policies/v2/rules", grantRule("jit-b"))).json;
    const reply = await api.call("PUT", "/policies/v2/rules", {
      ruleIds: [a.ruleId, b.ruleId],
      properties: [{ ruleIsEnabled: false }, { ruleIsEnabled: true }],
    });
    expect(reply.status).toBe(200);
    expect(reply.json.map((r: { ruleIsEnabled: boolean }) => r.ruleIsEnabled)).toEqual([false, true]);
    expect(reply.json[0].ruleConditions).toBeUndefined();
    expect((await api.call("GET", `/policies/v2/rules/${a.ruleId}`)).json.ruleIsEnabled).toBe(false);
    const bad = await api.call("PUT", "/policies/v2/rules", {
      ruleIds: [a.ruleId, 1],
      properties: [{ ruleIsEnabled: true }],
    });
    expect(bad.status).toBe(400);
  });

  it("serves a rule tampered with directly in emu.state (as a dashboard edit would)", async () => {
    const created = (await api.call("POST", "/policies/v2/rules", grantRule("jit-tamper"))).json;
    const stored = api.emu.state.rules.find((rule) => rule.ruleId === created.ruleId)!;
    stored.ruleConditions[0]!.attributeValue = [1173502977];
    stored.modifiedAt = "2026-12-01T00:00:00.000Z";
    const read = (await api.call("GET", `/policies/v2/rules/${created.ruleId}`)).json;
    expect(read.ruleConditions[0].attributeValue).toEqual([1173502977]);
    expect(read.modifiedAt).toBe("2026-12-01T00:00:00.000Z");
  });

  it("rejects a non-JSON content type with 415 and malformed JSON with 400", async () => {
    const url = `${api.emu.url}/policies/v2/rules`;
    const headers = { authorization: `Bearer ${api.token}` };
    const text = await fetch(url, {
      method: "POST",
      headers: { ...headers, "content-type": "text/plain" },
      body: "{}",
    });
    expect(text.status).toBe(415);
    const broken = await fetch(url, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: "{",
    });
    expect(broken.status).toBe(400);
  });
});
