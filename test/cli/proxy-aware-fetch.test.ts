import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { proxyAwareFetch } from "../../src/cli/proxy-aware-fetch.js";
import { demoApiKey, demoApiSecret } from "../../src/emulator/default-seed.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { createOctokit } from "../../src/github/create-octokit.js";
import { noLimits } from "../secure-access/emulator-fixtures.js";
import { makeTestClient } from "../secure-access/make-test-client.js";
import { startForwardingProxy, type ForwardingProxy } from "../helpers/forwarding-proxy.js";

const quiet = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

let emulator: RunningEmulator;
let proxy: ForwardingProxy;
beforeAll(async () => {
  emulator = await startEmulator({ limits: noLimits });
});
afterAll(async () => {
  await emulator.close();
});
afterEach(async () => {
  await proxy?.close();
});

async function listThrough(env: Record<string, string>): Promise<number> {
  const { client } = makeTestClient(emulator.url, {
    apiKey: demoApiKey,
    apiSecret: demoApiSecret,
    fetch: proxyAwareFetch(env),
  });
  return (await client.listRules()).length;
}

describe("proxyAwareFetch", () => {
  it("sends the Secure Access client's requests through HTTP_PROXY (CONNECT to the emulator)", async () => {
    proxy = await startForwardingProxy();
    const rules = await listThrough({ HTTP_PROXY: proxy.url });
    expect(rules).toBeGreaterThan(0);
    expect(proxy.connects.length).toBeGreaterThan(0);
    expect(new Set(proxy.connects)).toEqual(new Set([new URL(emulator.url).host]));
  });

  it("honours the lower-case variables too", async () => {
    proxy = await startForwardingProxy();
    await listThrough({ http_proxy: proxy.url });
    expect(proxy.connects.length).toBeGreaterThan(0);
  });

  it("goes direct for NO_PROXY hosts", async () => {
    proxy = await startForwardingProxy();
    const rules = await listThrough({ HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" });
    expect(rules).toBeGreaterThan(0);
    expect(proxy.connects).toEqual([]);
  });

  it("is the plain fetch when no proxy is configured", () => {
    const base = (() => Promise.reject(new Error("unused"))) as typeof fetch;
    expect(proxyAwareFetch({ NO_PROXY: "127.0.0.1" }, base)).toBe(base);
  });

  it("sends Octokit's requests through the proxy", async () => {
    proxy = await startForwardingProxy();
    const api = await startJsonServer({ full_name: "acme/grants" });
    try {
      const octokit = createOctokit({
        token: "t0ken",
        baseUrl: api.url,
        logger: quiet,
        fetch: proxyAwareFetch({ HTTP_PROXY: proxy.url }),
        retries: 0,
        throttle: false,
      });
      const { data } = await octokit.rest.repos.get({ owner: "acme", repo: "grants" });
      expect(data.full_name).toBe("acme/grants");
      expect(proxy.connects).toEqual([new URL(api.url).host]);
    } finally {
      await api.close();
    }
  });
});

describe("proxyAwareFetch under msw", () => {
  const msw = setupServer(
    http.get("https://api.github.com/repos/acme/grants", () =>
      HttpResponse.json({ full_name: "acme/grants" }),
    ),
  );
  beforeAll(() => msw.listen({ onUnhandledRequest: "error" }));
  afterAll(() => msw.close());

  it("still reaches msw's handlers when a dispatcher is set", async () => {
    proxy = await startForwardingProxy();
    const fetch = proxyAwareFetch({ HTTPS_PROXY: proxy.url }, (input, init) => globalThis.fetch(input, init));
    const response = await fetch("https://api.github.com/repos/acme/grants");
    expect(await response.json()).toEqual({ full_name: "acme/grants" });
    expect(proxy.connects).toEqual([]);
  });
});

async function startJsonServer(body: unknown): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
