import { generateKeyPairSync } from "node:crypto";
import { Writable } from "node:stream";
import { pino } from "pino";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createOctokit } from "../../src/github/create-octokit.js";
import { API, recordingLogger } from "./github-fixtures.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  vi.restoreAllMocks();
});
afterAll(() => server.close());

const repoJson = { id: 1, name: "grants", full_name: "acme/grants", private: true };

describe("createOctokit", () => {
  it("authenticates with a token and logs through the logger, never the console", async () => {
    const warn = vi.spyOn(console, "warn");
    const info = vi.spyOn(console, "info");
    const logger = recordingLogger();
    let authorization: string | null = null;
    server.use(
      http.get(`${API}/repos/acme/grants`, ({ request }) => {
        authorization = request.headers.get("authorization");
        return HttpResponse.json(repoJson);
      }),
    );
    const octokit = createOctokit({ token: "ghp_secret123", logger });
    const { data } = await octokit.rest.repos.get({ owner: "acme", repo: "grants" });
    expect(data.full_name).toBe("acme/grants");
    expect(authorization).toBe("token ghp_secret123");
    expect(warn).not.toHaveBeenCalled();
    expect(info).not.toHaveBeenCalled();
    expect(
      logger.lines.some((l) => l.level === "debug" && l.message.includes("GET /repos/acme/grants - 200")),
    ).toBe(true);
    expect(JSON.stringify(logger.lines)).not.toContain("ghp_secret123");
  });

  it("accepts a pino logger; request details (and the token) stay out of the log", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    server.use(http.get(`${API}/repos/acme/grants`, () => HttpResponse.json(repoJson)));
    const octokit = createOctokit({ token: "ghp_secret456", logger: pino({ level: "debug" }, sink) });
    await octokit.rest.repos.get({ owner: "acme", repo: "grants" });
    expect(lines.join("")).toContain("GET /repos/acme/grants - 200");
    expect(lines.join("")).not.toContain("ghp_secret456");
  });

  it("talks to GitHub Enterprise at baseUrl", async () => {
    const ghe = "https://ghe.example.com/api/v3";
    server.use(http.get(`${ghe}/repos/acme/grants`, () => HttpResponse.json(repoJson)));
    const octokit = createOctokit({ token: "t", baseUrl: `${ghe}/`, logger: recordingLogger() });
    expect((await octokit.rest.repos.get({ owner: "acme", repo: "grants" })).status).toBe(200);
  });

  it("authenticates as a GitHub App installation", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    let jwt: string | null = null;
    let authorization: string | null = null;
    server.use(
      http.post(`${API}/app/installations/4242/access_tokens`, ({ request }) => {
        jwt = request.headers.get("authorization");
        return HttpResponse.json(
          {
            token: "ghs_installation",
            expires_at: "2099-01-01T00:00:00Z",
            permissions: {},
            repository_selection: "all",
          },
          { status: 201 },
        );
      }),
      http.get(`${API}/repos/acme/grants`, ({ request }) => {
        authorization = request.headers.get("authorization");
        return HttpResponse.json(repoJson);
      }),
    );
    const octokit = createOctokit({
      appId: "123",
      privateKey: pem,
      installationId: 4242,
      logger: recordingLogger(),
    });
    await octokit.rest.repos.get({ owner: "acme", repo: "grants" });
    expect(jwt).toMatch(/^bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(authorization).toBe("token ghs_installation");
  });

  it("uses an injected fetch", async () => {
    const calls: string[] = [];
    const fetchSpy: typeof fetch = (input, init) => {
      calls.push(input instanceof Request ? input.url : input.toString());
      return fetch(input, init);
    };
    server.use(http.get(`${API}/repos/acme/grants`, () => HttpResponse.json(repoJson)));
    await createOctokit({ token: "t", fetch: fetchSpy, logger: recordingLogger() }).rest.repos.get({
      owner: "acme",
      repo: "grants",
    });
    expect(calls).toEqual([`${API}/repos/acme/grants`]);
  });

  it("retries 5xx, then gives up", async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/repos/acme/grants`, () => {
        calls += 1;
        return calls < 3
          ? HttpResponse.json({ message: "Server Error" }, { status: 502 })
          : HttpResponse.json(repoJson);
      }),
    );
    const octokit = createOctokit({ token: "t", logger: recordingLogger(), retries: 2, retryAfterBaseMs: 1 });
    expect((await octokit.rest.repos.get({ owner: "acme", repo: "grants" })).status).toBe(200);
    expect(calls).toBe(3);
  });

  it("retries a secondary rate limit once, logging a warning", async () => {
    let calls = 0;
    const secondary = () =>
      HttpResponse.json(
        {
          message:
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        },
        { status: 403, headers: { "retry-after": "2" } },
      );
    server.use(
      http.get(`${API}/repos/acme/grants`, () => {
        calls += 1;
        return calls === 1 ? secondary() : HttpResponse.json(repoJson);
      }),
    );
    const logger = recordingLogger();
    const octokit = createOctokit({ token: "t", logger, retries: 0, retryAfterBaseMs: 1 });
    expect((await octokit.rest.repos.get({ owner: "acme", repo: "grants" })).status).toBe(200);
    expect(calls).toBe(2);
    expect(logger.lines).toContainEqual({
      level: "warn",
      message: "GitHub secondary rate limit hit on GET /repos/{owner}/{repo}; retrying once in 2s",
    });
  });

  it("gives up after one retry on a primary rate limit", async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/repos/acme/grants`, () => {
        calls += 1;
        const reset = String(Math.floor(Date.now() / 1000) + 1);
        return HttpResponse.json(
          { message: "API rate limit exceeded for installation ID 4242." },
          { status: 403, headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset } },
        );
      }),
    );
    const logger = recordingLogger();
    const octokit = createOctokit({ token: "t", logger, retries: 0, retryAfterBaseMs: 1 });
    await expect(octokit.rest.repos.get({ owner: "acme", repo: "grants" })).rejects.toMatchObject({
      status: 403,
    });
    expect(calls).toBe(2);
    expect(logger.lines.filter((l) => l.level === "warn").map((l) => l.message)).toEqual([
      expect.stringContaining("rate limit hit on GET /repos/{owner}/{repo}; retrying once"),
      expect.stringContaining("rate limit hit on GET /repos/{owner}/{repo}; giving up"),
    ]);
  });
});
