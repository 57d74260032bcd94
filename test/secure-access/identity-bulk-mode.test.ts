import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Identity } from "../../src/core/model/secure-access-types.js";
import { demoApiKey, demoApiSecret } from "../../src/emulator/default-seed.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { VendorLookupError } from "../../src/secure-access/vendor-lookup-error.js";
import { noLimits } from "./emulator-fixtures.js";
import { makeTestClient } from "./make-test-client.js";
import {
  startScriptedServer,
  withTokens,
  type Handler,
  type Reply,
  type ScriptedServer,
} from "./scripted-server.js";

const user = (id: number, label: string, deleted = false): Identity => ({
  id,
  label,
  deleted,
  type: { id: 7, label: "AD Users", type: "directory_user" },
});

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
const pages = (s: ScriptedServer) =>
  api(s).map((r) => [r.query.get("search"), r.query.get("offset"), r.query.get("limit")]);

/** /reports/v2/identities with the emulator's search semantics (strip %, case-insensitive substring). */
function identitiesApi(all: Identity[]): Handler {
  return withTokens((request): Reply => {
    const search = (request.query.get("search") ?? "").replaceAll("%", "").toLowerCase();
    const offset = Number(request.query.get("offset") ?? 0);
    const limit = Number(request.query.get("limit"));
    const hits = all.filter((i) => i.label.toLowerCase().includes(search));
    return { status: 200, body: { data: hits.slice(offset, offset + limit), meta: {} } };
  });
}

const directory = [
  user(11, "alice@example.com"),
  user(12, "Bob Builder (bob@example.com)"),
  user(13, "carol@example.com"),
  user(14, "mallory@example.com", true),
  user(15, "Dup One (dup@example.com)"),
  user(16, "dup@example.com"),
];

describe("identity bulk mode", () => {
  it("searches the first names one by one, then lists the directory once (limit 5000) past the threshold", async () => {
    const server = await start(identitiesApi(directory));
    const { client } = makeTestClient(server.url, { identityBulkThreshold: 2 });
    expect((await client.findIdentity("alice@example.com")).id).toBe(11);
    expect((await client.findIdentity("ALICE@example.com")).id).toBe(11); // cached: not a new name
    expect((await client.findIdentity("bob@example.com")).id).toBe(12);
    expect((await client.findIdentity("carol@example.com")).id).toBe(13); // the third distinct name
    await expect(client.findIdentity("dup@example.com")).rejects.toMatchObject({
      code: "IDENTITY_AMBIGUOUS",
      candidates: ["Dup One (dup@example.com) [15]", "dup@example.com [16]"],
    });
    await expect(client.findIdentity("mallory@example.com")).rejects.toMatchObject({
      code: "IDENTITY_NOT_FOUND",
      candidates: ["mallory@example.com [14] (deleted)"],
    });
    expect(pages(server)).toEqual([
      ["%alice@example.com%", "0", "1000"],
      ["%bob@example.com%", "0", "1000"],
      [null, "0", "5000"],
    ]);
    expect(api(server)[2]?.query.get("identitytypes")).toBe("directory_user");
  });

  it("told more names are coming than the threshold, lists the directory at once: no per-name search", async () => {
    const server = await start(identitiesApi(directory));
    const { client } = makeTestClient(server.url, { identityBulkThreshold: 2 });
    client.expectLookups?.(3, 0);
    const names = ["alice@example.com", "bob@example.com", "carol@example.com"];
    const found = await Promise.all(names.map((name) => client.findIdentity(name)));
    expect(found.map((identity) => identity.id)).toEqual([11, 12, 13]);
    expect(pages(server)).toEqual([[null, "0", "5000"]]);
  });

  it("told no more names than the threshold, searches them one by one as before", async () => {
    const server = await start(identitiesApi(directory));
    const { client } = makeTestClient(server.url, { identityBulkThreshold: 2 });
    client.expectLookups?.(2, 0);
    expect((await client.findIdentity("alice@example.com")).id).toBe(11);
    expect((await client.findIdentity("bob@example.com")).id).toBe(12);
    expect(pages(server)).toEqual([
      ["%alice@example.com%", "0", "1000"],
      ["%bob@example.com%", "0", "1000"],
    ]);
  });

  it("concurrent lookups share one listing; pages of 5000 until a short one", async () => {
    const many = Array.from({ length: 5000 }, (_, i) => user(100_000 + i, `user${i}@example.com`));
    const server = await start(identitiesApi([...directory, ...many]));
    const { client } = makeTestClient(server.url, { prefetchIdentities: true });
    const names = ["alice@example.com", "bob@example.com", "user4999@example.com", "user7@example.com"];
    const found = await Promise.all(names.map((name) => client.findIdentity(name)));
    expect(found.map((identity) => identity.id)).toEqual([11, 12, 104_999, 100_007]);
    expect(pages(server)).toEqual([
      [null, "0", "5000"],
      [null, "5000", "5000"],
    ]);
  });

  it("does not keep a failed listing: the next lookup lists again", async () => {
    const good = identitiesApi(directory);
    let fail = true;
    const server = await start(
      withTokens((request, index): Reply | Promise<Reply> =>
        fail ? { status: 503 } : good({ ...request, pathname: "/x" }, index),
      ),
    );
    const { client } = makeTestClient(server.url, { prefetchIdentities: true });
    await expect(client.findIdentity("alice@example.com")).rejects.toMatchObject({ code: "VENDOR_HTTP_503" });
    fail = false;
    expect((await client.findIdentity("alice@example.com")).id).toBe(11);
    expect((await client.findIdentity("carol@example.com")).id).toBe(13);
    expect(api(server).filter((r) => r.query.get("limit") === "5000")).toHaveLength(5); // 1 + 3 retries, then 1
  });
});

describe("bulk mode answers exactly as per-name searches (property, against the emulator)", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ limits: noLimits });
  });
  afterAll(async () => {
    await emu.close();
  });

  // Few names, so labels collide, nest in parentheses and contain each other. No "%": search wildcards are
  // the server's business (bulk mode compares names literally).
  const name = fc.constantFrom(
    "alice",
    "Alice",
    "al",
    "ice",
    "bob",
    "a.b@x.io",
    "A.B@X.IO",
    "Émile",
    "x (y)",
  );
  const label = fc.oneof(
    name,
    fc.tuple(name, name).map(([display, upn]) => `${display} (${upn})`),
    name.map((n) => ` ${n} `),
  );
  const entry = fc.record({
    label,
    deleted: fc.boolean(),
    group: fc.boolean(), // directory_group identities are never returned (identitytypes=directory_user)
  });
  const query = fc.oneof(
    name,
    label,
    fc.string({ maxLength: 4 }).filter((s) => !s.includes("%")),
  );

  type Outcome = { id: number } | { code: string; candidates: string[] };
  const outcome = (lookup: Promise<Identity>): Promise<Outcome> =>
    lookup.then(
      (identity) => ({ id: identity.id }),
      (error: unknown) => {
        if (!(error instanceof VendorLookupError)) throw error;
        return { code: error.code, candidates: error.candidates };
      },
    );

  it("same identity, or same error code and candidates, for random directories and names", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(entry, { maxLength: 12 }),
        fc.array(query, { minLength: 1, maxLength: 6 }),
        async (entries, queries) => {
          emu.state.identities.splice(
            0,
            emu.state.identities.length,
            ...entries.map((e, i) => ({
              ...user(1000 + i, e.label, e.deleted),
              ...(e.group ? { type: { id: 8, label: "AD Groups", type: "directory_group" } } : {}),
            })),
          );
          const options = { apiKey: demoApiKey, apiSecret: demoApiSecret };
          const search = makeTestClient(emu.url, { ...options, identityBulkThreshold: Infinity }).client;
          const bulk = makeTestClient(emu.url, { ...options, prefetchIdentities: true }).client;
          for (const q of queries) {
            const [bySearch, byBulk] = await Promise.all([
              outcome(search.findIdentity(q)),
              outcome(bulk.findIdentity(q)),
            ]);
            expect(byBulk, `query ${JSON.stringify(q)}`).toEqual(bySearch);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
