/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- JSON reply bodies are untyped */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator/start-emulator.js";
import { connect, type Api } from "./emulator-test-client.js";

let api: Api;
beforeAll(async () => {
  api = await connect(await startEmulator());
});
afterAll(async () => api.emu.close());

const resources = (query: string): Promise<{ status: number; json: any }> =>
  api.call("GET", `/policies/v2/privateResources${query}`);
const filters = (value: object): string => `filters=${encodeURIComponent(JSON.stringify(value))}`;

describe("GET /policies/v2/privateResources", () => {
  it("pages as {items, offset, limit, total}, sorted by name by default", async () => {
    const reply = await resources("?limit=4");
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ offset: 0, limit: 4, total: 6 });
    expect(reply.json.items.map((r: { name: string }) => r.name)).toEqual([
      "Grafana",
      "Jira",
      "payroll-db",
      "prod-api",
    ]);
    const rest = await resources("?limit=4&offset=4");
    expect(rest.json.items.map((r: { name: string }) => r.name)).toEqual(["prod-db", "Wiki"]);
    expect((await resources("")).json.limit).toBe(10);
  });

  it.each([
    ["sortBy=resourceId", [183456, 183457, 183458, 183459, 183460, 183461]],
    ["sortBy=resourceId&sortOrder=desc", [183461, 183460, 183459, 183458, 183457, 183456]],
    ["sortBy=name&sortOrder=desc", [183460, 183457, 183461, 183458, 183456, 183459]],
  ])("sorts with %s", async (query, ids) => {
    expect(
      (await resources(`?${query}`)).json.items.map((r: { resourceId: number }) => r.resourceId),
    ).toEqual(ids);
  });

  it.each([
    [{ name: "jira" }, ["Jira"]],
    [{ name: "PROD" }, ["prod-api", "prod-db"]],
    [{ name: "prod-db" }, ["prod-db"]],
    [{ accessType: "client" }, ["Grafana", "Jira", "payroll-db", "prod-api", "prod-db", "Wiki"]],
    [{ description: "payroll" }, ["payroll-db"]],
  ])("filters %j (case-insensitive substring)", async (filter, names) => {
    const reply = await resources(`?${filters(filter)}`);
    expect(reply.json.items.map((r: { name: string }) => r.name)).toEqual(names);
    expect(reply.json.total).toBe(names.length);
  });

  it.each(["?limit=1001", "?sortBy=colour", "?sortOrder=up", "?filters=%7B", `?${filters({ colour: 1 })}`])(
    "answers %s with 400",
    async (query) => {
      const reply = await resources(query);
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual({ error: expect.any(String), requestId: expect.any(String) });
    },
  );

  it("gets one by id, and 404 {error, requestId} for an unknown id", async () => {
    const jira = await api.call("GET", "/policies/v2/privateResources/183456");
    expect(jira.json).toMatchObject({ resourceId: 183456, name: "Jira" });
    const missing = await api.call("GET", "/policies/v2/privateResources/1");
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: "Not Found", requestId: expect.any(String) });
  });
});

describe("/reports/v2/identities", () => {
  const identities = (query: string): Promise<{ status: number; json: any }> =>
    api.call("GET", `/reports/v2/identities${query}`);
  const labels = (json: any): string[] => json.data.map((i: { label: string }) => i.label);

  it("requires limit (400 {message}) and caps it at 5000", async () => {
    for (const query of ["", "?limit=5001", "?limit=0"]) {
      const reply = await identities(query);
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual({ message: expect.any(String) });
    }
    expect((await identities("?limit=5000")).json.data).toHaveLength(9);
  });

  it("answers {data, meta: {}} and pages with offset", async () => {
    const reply = await identities("?limit=3&offset=5");
    expect(reply.json).toEqual({ data: expect.any(Array), meta: {} });
    expect(labels(reply.json)).toEqual([
      "mallory@example.com",
      "Engineering (example.net\\Engineering)",
      "oncall-sre",
    ]);
  });

  it.each([
    ["search=%25bob%40example.com%25", ["Bob Builder (bob@example.com)"]],
    ["search=ALICE", ["alice@example.com"]],
    ["search=%25engineering%25&identitytypes=directory_group", ["Engineering (example.net\\Engineering)"]],
    ["search=engineering&identitytypes=directory_user", []],
    [
      "identitytypes=directory_user,directory_group&search=example.net",
      ["Engineering (example.net\\Engineering)", "Database Admins (example.net\\dba)"],
    ],
    ["search=%25oncall-sre%25&identitytypes=directory_group", ["oncall-sre"]],
    ["search=oncall&identitytypes=directory_user", []],
    ["search=mallory", ["mallory@example.com"]],
  ])("filters %s", async (query, expected) => {
    expect(labels((await identities(`?limit=100&${query}`)).json)).toEqual(expected);
  });

  it("flags deleted identities and serves the type object", async () => {
    const mallory = (await identities("?limit=1&search=mallory")).json.data[0];
    expect(mallory).toEqual({
      id: 1173502980,
      label: "mallory@example.com",
      deleted: true,
      type: { id: 7, label: "AD Users", type: "directory_user" },
    });
  });

  it("gets one by id as {data, meta}, 404 {message} when unknown", async () => {
    const alice = await api.call("GET", "/reports/v2/identities/1173502975");
    expect(alice.json).toEqual({
      data: expect.objectContaining({ id: 1173502975, label: "alice@example.com" }),
      meta: {},
    });
    const missing = await api.call("GET", "/reports/v2/identities/5");
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ message: expect.any(String) });
  });

  it("looks up several by id with POST {identityids}", async () => {
    const reply = await api.call("POST", "/reports/v2/identities?limit=10", {
      identityids: [1173502977, 42, 1173600001],
    });
    expect(reply.json.data.map((i: { id: number }) => i.id)).toEqual([1173502977, 1173600001]);
    expect((await api.call("POST", "/reports/v2/identities?limit=10", { ids: [] })).status).toBe(400);
  });
});
