import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { makeTestClient } from "./make-test-client.js";
import {
  startScriptedServer,
  TEST_KEY,
  TEST_SECRET,
  type Reply,
  type RecordedRequest,
  type ScriptedServer,
} from "./scripted-server.js";

const TOKEN = "eyJhbGciOi.secret-token-value.c2lnbmF0dXJl";
const BASIC = Buffer.from(`${TEST_KEY}:${TEST_SECRET}`).toString("base64");
const SECRETS = [TEST_KEY, TEST_SECRET, TOKEN, BASIC, encodeURIComponent(TOKEN)];

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Every way an error can be shown: message, toString, JSON, inspect (with the cause chain), stack. */
function renderings(error: unknown): string[] {
  const e = error as Error;
  return [e.message, String(e), JSON.stringify(e), inspect(e, { depth: 5 }), e.stack ?? ""];
}

const echo = `key=${TEST_KEY} secret=${TEST_SECRET} token=${TOKEN} basic=${BASIC}`;
/** Before a token was issued the client cannot know it; the token endpoint echoes only the credentials. */
const echoCredentials = `key=${TEST_KEY} secret=${TEST_SECRET} basic=${BASIC}`;

/** Scenarios in which the vendor misbehaves, some of them echoing the credentials back. */
const scenarios: Array<{
  name: string;
  reply: (r: RecordedRequest) => Reply;
  call: "getRule" | "listRules";
}> = [
  {
    name: "token rejected, echoing",
    reply: () => ({ status: 401, body: { message: echoCredentials } }),
    call: "getRule",
  },
  {
    name: "API 403 echoing in error",
    reply: (r) =>
      r.pathname.startsWith("/auth") ? tokenOk() : { status: 403, body: { error: echo, requestId: "x" } },
    call: "getRule",
  },
  {
    name: "API 500 echoing raw text",
    reply: (r) => (r.pathname.startsWith("/auth") ? tokenOk() : { status: 500, body: `boom ${echo}` }),
    call: "listRules",
  },
  {
    name: "API 401 twice",
    reply: (r) => (r.pathname.startsWith("/auth") ? tokenOk() : { status: 401, body: { error: echo } }),
    call: "getRule",
  },
  {
    name: "connection reset",
    reply: (r) => (r.pathname.startsWith("/auth") ? tokenOk() : "reset"),
    call: "listRules",
  },
  {
    name: "bad JSON",
    reply: (r) => (r.pathname.startsWith("/auth") ? tokenOk() : { status: 200, body: `{${echo}` }),
    call: "getRule",
  },
  {
    name: "429 with Retry-After",
    reply: (r) =>
      r.pathname.startsWith("/auth")
        ? tokenOk()
        : { status: 429, headers: { "retry-after": "1" }, body: { message: echo } },
    call: "listRules",
  },
];

function tokenOk(): Reply {
  return { status: 200, body: { token_type: "bearer", access_token: TOKEN, expires_in: 3600 } };
}

describe("secrets never leak", () => {
  it.each(scenarios)(
    "$name: no key, secret or token in the error or any log line",
    async ({ reply, call }) => {
      server = await startScriptedServer(reply);
      const { client, logs } = makeTestClient(server.url);
      const error = await (call === "getRule" ? client.getRule(1) : client.listRules()).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect(logs.length).toBeGreaterThan(0);
      for (const text of [...renderings(error), ...logs]) {
        for (const secret of SECRETS) expect(text).not.toContain(secret);
      }
    },
  );

  it("the redacted message still says what happened", async () => {
    server = await startScriptedServer(scenarios[1]!.reply);
    const { client } = makeTestClient(server.url);
    const error = await client.getRule(1).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      "Secure Access GET /policies/v2/rules/1 failed with HTTP 403: " +
        "key=[REDACTED] secret=[REDACTED] token=[REDACTED] basic=[REDACTED] (requestId x)",
    );
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      code: "VENDOR_HTTP_403",
      status: 403,
      path: "/policies/v2/rules/1",
    });
  });

  it("the error path never carries the query string", async () => {
    server = await startScriptedServer((r) => (r.pathname.startsWith("/auth") ? tokenOk() : { status: 400 }));
    const { client } = makeTestClient(server.url);
    const error = await client.findIdentity("alice@example.com").catch((e: unknown) => e);
    expect(error).toMatchObject({ path: "/reports/v2/identities" });
    expect((error as Error).message).not.toContain("search=");
  });
});
