import { afterEach, describe, expect, it } from "vitest";
import { VendorLookupError } from "../../src/secure-access/vendor-lookup-error.js";
import { makeTestClient } from "./make-test-client.js";
import {
  startScriptedServer,
  withTokens,
  type Handler,
  type Reply,
  type ScriptedServer,
} from "./scripted-server.js";

const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function start(handler: Handler): Promise<ScriptedServer> {
  const server = await startScriptedServer(handler);
  servers.push(server);
  return server;
}
const api = (s: ScriptedServer) => s.requests.filter((r) => r.pathname !== "/auth/v2/token");

const user = (id: number, label: string, deleted = false) => ({
  id,
  label,
  deleted,
  type: { id: 7, label: "AD Users", type: "directory_user" },
});
const directory = [
  user(1173502975, "alice@example.com"),
  user(1173502976, "Bob Builder (bob@example.com)"),
  user(1173502977, "carol@example.com"),
  user(1173502980, "mallory@example.com", true),
  user(1, "Dup One (dup@example.com)"),
  user(2, "dup@example.com"),
  user(3, "alice@example.com.old"),
];

/** /reports/v2/identities with the emulator's search semantics (strip %, case-insensitive substring). */
function identitiesApi(all: ReturnType<typeof user>[]): Handler {
  return withTokens((request): Reply => {
    const search = (request.query.get("search") ?? "").replaceAll("%", "").toLowerCase();
    const offset = Number(request.query.get("offset") ?? 0);
    const limit = Number(request.query.get("limit"));
    const hits = all.filter((i) => i.label.toLowerCase().includes(search));
    return { status: 200, body: { data: hits.slice(offset, offset + limit), meta: {} } };
  });
}

describe("findIdentity", () => {
  it.each([
    { query: "alice@example.com", id: 1173502975 },
    { query: "ALICE@example.com", id: 1173502975 },
    { query: "bob@example.com", id: 1173502976 },
    { query: "Bob Builder (bob@example.com)", id: 1173502976 },
  ])("finds $query exactly", async ({ query, id }) => {
    const server = await start(identitiesApi(directory));
    const { client } = makeTestClient(server.url);
    expect((await client.findIdentity(query)).id).toBe(id);
    const [request] = api(server);
    expect(request?.pathname).toBe("/reports/v2/identities");
    expect(request?.query.get("search")).toBe(`%${query}%`);
    expect(request?.query.get("identitytypes")).toBe("directory_user");
    expect(request?.query.get("limit")).toBe("1000");
  });

  it("skips a deleted identity and names it as a candidate", async () => {
    const server = await start(identitiesApi(directory));
    const { client } = makeTestClient(server.url);
    const error = await client.findIdentity("mallory@example.com").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorLookupError);
    expect(error).toMatchObject({
      code: "IDENTITY_NOT_FOUND",
      candidates: ["mallory@example.com [1173502980] (deleted)"],
    });
  });

  it("0 matches: IDENTITY_NOT_FOUND naming near misses; bob finds nothing as 'bob'", async () => {
    const server = await start(identitiesApi(directory));
    const { client } = makeTestClient(server.url);
    const error = await client.findIdentity("bob").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "IDENTITY_NOT_FOUND", exitCode: 4 });
    expect((error as VendorLookupError).candidates).toEqual(["Bob Builder (bob@example.com) [1173502976]"]);
    expect((error as Error).message).toContain("Bob Builder (bob@example.com)");
  });

  it("several matches: IDENTITY_AMBIGUOUS naming them", async () => {
    const server = await start(identitiesApi(directory));
    const { client } = makeTestClient(server.url);
    const error = await client.findIdentity("dup@example.com").catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "IDENTITY_AMBIGUOUS",
      candidates: ["Dup One (dup@example.com) [1]", "dup@example.com [2]"],
    });
  });

  it("caches lookups (including 'not found') per client", async () => {
    const server = await start(identitiesApi(directory));
    const { client } = makeTestClient(server.url);
    await Promise.all([client.findIdentity("alice@example.com"), client.findIdentity("Alice@Example.com ")]);
    await client.findIdentity("alice@example.com");
    await expect(client.findIdentity("nobody@example.com")).rejects.toMatchObject({
      code: "IDENTITY_NOT_FOUND",
    });
    await expect(client.findIdentity("nobody@example.com")).rejects.toMatchObject({
      code: "IDENTITY_NOT_FOUND",
    });
    expect((await client.getIdentity(1173502975)).label).toBe("alice@example.com"); // known from the search
    expect(api(server)).toHaveLength(2);
  });

  it("does not cache a transport failure", async () => {
    const good = identitiesApi(directory);
    const server = await start(
      withTokens((request, index): Reply | Promise<Reply> =>
        index < 4 ? { status: 503 } : good({ ...request, pathname: "/x" }, index),
      ),
    );
    const { client } = makeTestClient(server.url);
    await expect(client.findIdentity("alice@example.com")).rejects.toMatchObject({ code: "VENDOR_HTTP_503" });
    expect((await client.findIdentity("alice@example.com")).id).toBe(1173502975);
  });

  it("pages identities while pages are full", async () => {
    const many = Array.from({ length: 1500 }, (_, i) => user(10_000 + i, `user${i}@example.com`));
    const server = await start(identitiesApi([...many, user(5, "target (needle@example.com)")]));
    const { client } = makeTestClient(server.url);
    const error = await client.findIdentity("example.com").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "IDENTITY_NOT_FOUND" });
    expect(api(server).map((r) => r.query.get("offset"))).toEqual(["0", "1000"]);
  });

  it("follows an HTTP 302 to another host and keeps the Authorization header", async () => {
    const regional = await start(identitiesApi(directory));
    const main = await start(
      withTokens((request): Reply => ({
        status: 302,
        headers: { location: `${regional.url}/reports.us/v2/identities?${request.query.toString()}` },
      })),
    );
    const { client } = makeTestClient(main.url);
    expect((await client.findIdentity("alice@example.com")).id).toBe(1173502975);
    expect(regional.requests[0]?.headers.authorization).toBe("Bearer tok-1");
    expect(regional.requests[0]?.query.get("search")).toBe("%alice@example.com%");
  });

  it('follows a 200 body {"data":{"redirect":url}} with the Authorization header', async () => {
    const regional = await start(identitiesApi(directory));
    const main = await start(
      withTokens((request): Reply => ({
        status: 200,
        body: { data: { redirect: `${regional.url}/reports.eu/v2/identities?${request.query.toString()}` } },
      })),
    );
    const { client } = makeTestClient(main.url);
    expect((await client.findIdentity("bob@example.com")).id).toBe(1173502976);
    expect(regional.requests[0]?.headers.authorization).toBe("Bearer tok-1");
  });

  it("getIdentity reads {data: identity}", async () => {
    const server = await start(withTokens(() => ({ status: 200, body: { data: directory[0], meta: {} } })));
    const { client } = makeTestClient(server.url);
    expect(await client.getIdentity(1173502975)).toEqual(directory[0]);
    expect(api(server)[0]?.pathname).toBe("/reports/v2/identities/1173502975");
  });
});

const resource = (resourceId: number, name: string) => ({
  resourceId,
  name,
  description: "",
  accessTypes: [],
});
const resources = [
  resource(183456, "Jira"),
  resource(183457, "prod-db"),
  resource(183458, "payroll-db"),
  resource(1, "twin"),
  resource(2, "twin"),
];

function resourcesApi(all: ReturnType<typeof resource>[]): Handler {
  return withTokens((request): Reply => {
    const offset = Number(request.query.get("offset") ?? 0);
    const limit = Number(request.query.get("limit") ?? 10);
    return {
      status: 200,
      body: { items: all.slice(offset, offset + limit), offset, limit, total: all.length },
    };
  });
}

describe("private resources", () => {
  it("pages the whole list once (limit 1000) and serves lookups from the cache", async () => {
    const many = Array.from({ length: 2100 }, (_, i) => resource(500_000 + i, `res ${i}`));
    const server = await start(resourcesApi([...resources, ...many]));
    const { client } = makeTestClient(server.url);
    expect(await client.listPrivateResources()).toHaveLength(2105);
    expect((await client.findPrivateResource("Jira")).resourceId).toBe(183456);
    expect((await client.findPrivateResource("prod-db")).resourceId).toBe(183457);
    expect((await client.getPrivateResource(183458)).name).toBe("payroll-db");
    expect(api(server).map((r) => [r.query.get("offset"), r.query.get("limit")])).toEqual([
      ["0", "1000"],
      ["1000", "1000"],
      ["2000", "1000"],
    ]);
  });

  it.each([
    { name: "jira", code: "RESOURCE_NOT_FOUND", candidates: ["Jira [183456]"] },
    { name: "db", code: "RESOURCE_NOT_FOUND", candidates: ["prod-db [183457]", "payroll-db [183458]"] },
    { name: "twin", code: "RESOURCE_AMBIGUOUS", candidates: ["twin [1]", "twin [2]"] },
  ])("$name → $code", async ({ name, code, candidates }) => {
    const server = await start(resourcesApi(resources));
    const { client } = makeTestClient(server.url);
    await expect(client.findPrivateResource(name)).rejects.toMatchObject({ code, candidates, exitCode: 4 });
  });

  it("getPrivateResource before any listing GETs it by id", async () => {
    const server = await start(withTokens(() => ({ status: 200, body: resource(9, "Wiki") })));
    const { client } = makeTestClient(server.url);
    expect(await client.getPrivateResource(9)).toEqual({
      resourceId: 9,
      name: "Wiki",
      description: "",
      accessTypes: [],
    });
    expect(api(server)[0]?.pathname).toBe("/policies/v2/privateResources/9");
  });

  it("a failed page fails the listing, and the next call tries again", async () => {
    const good = resourcesApi(resources);
    let fail = true;
    const server = await start(
      withTokens((request, index): Reply | Promise<Reply> =>
        fail ? { status: 500 } : good({ ...request, pathname: "/x" }, index),
      ),
    );
    const { client } = makeTestClient(server.url);
    await expect(client.listPrivateResources()).rejects.toMatchObject({ code: "VENDOR_HTTP_500" });
    fail = false;
    expect(await client.listPrivateResources()).toHaveLength(5);
  });
});
