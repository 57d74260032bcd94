import type { Env } from "../github/read-github-config.js";

const PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"];

/**
 * fetch for the Secure Access client and Octokit that honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case):
 * with a proxy configured, every request gets undici's EnvHttpProxyAgent as its dispatcher (the agent tunnels
 * through the proxy with CONNECT and goes direct for NO_PROXY hosts); without one, `base` unchanged. undici is
 * loaded at the first request through a proxy, never in a run without one (it adds ~10 MB to a process's RSS).
 */
export function proxyAwareFetch(
  env: Env,
  base: typeof globalThis.fetch = globalThis.fetch,
): typeof globalThis.fetch {
  if (PROXY_VARIABLES.every((name) => !env[name])) return base;
  let dispatcher: Promise<unknown> | undefined;
  const agent = (): Promise<unknown> =>
    (dispatcher ??= import("undici").then(
      ({ EnvHttpProxyAgent }) =>
        new EnvHttpProxyAgent({
          ...proxySetting("httpProxy", env["HTTP_PROXY"] ?? env["http_proxy"]),
          ...proxySetting("httpsProxy", env["HTTPS_PROXY"] ?? env["https_proxy"]),
          ...proxySetting("noProxy", env["NO_PROXY"] ?? env["no_proxy"]),
        }),
    ));
  // Node's fetch takes undici's `dispatcher` option (its RequestInit type does not list it).
  return async (input, init) => base(input, { ...init, dispatcher: await agent() } as unknown as RequestInit);
}

function proxySetting(key: string, value: string | undefined): Record<string, string> {
  return value ? { [key]: value } : {};
}
