import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface RecordedRequest {
  method: string;
  /** Path and query. */
  url: string;
  pathname: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the server does: a status with a JSON (object) or raw (string) body, or a dropped connection. */
export type Reply =
  { status: number; headers?: Record<string, string>; body?: unknown } | "reset" | { hang: true };

export type Handler = (request: RecordedRequest, index: number) => Reply | Promise<Reply>;

export interface ScriptedServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1:0 answering with `handler`; records every request. */
export async function startScriptedServer(handler: Handler): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const parsed = new URL(req.url ?? "/", "http://127.0.0.1");
      const recorded: RecordedRequest = {
        method: req.method ?? "GET",
        url: req.url ?? "/",
        pathname: parsed.pathname,
        query: parsed.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(recorded);
      void Promise.resolve(handler(recorded, requests.length - 1)).then((reply) => send(res, reply));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply === "reset") {
    res.socket?.destroy();
    return;
  }
  if ("hang" in reply) return;
  const text =
    reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...(typeof reply.body === "object" ? { "content-type": "application/json" } : {}),
    ...reply.headers,
  });
  res.end(text);
}

/** A token reply (tokens "tok-1", "tok-2", ... in order). */
export function tokenReply(n: number, expiresIn = 3600): Reply {
  return { status: 200, body: { token_type: "bearer", access_token: `tok-${n}`, expires_in: expiresIn } };
}

/** Routes token requests to a counter and everything else to `api`. */
export function withTokens(api: Handler, expiresIn = 3600): Handler & { tokenCalls: () => number } {
  let tokens = 0;
  let apiIndex = 0;
  const handler = (request: RecordedRequest): Reply | Promise<Reply> => {
    if (request.pathname === "/auth/v2/token") {
      tokens += 1;
      return tokenReply(tokens, expiresIn);
    }
    const index = apiIndex;
    apiIndex += 1;
    return api(request, index);
  };
  return Object.assign(handler, { tokenCalls: () => tokens });
}

export const TEST_KEY = "test-api-key-4f1c";
export const TEST_SECRET = "test-api-secret-9a7e";

/** Zero-delay retry options for tests. */
export const fastRetry = {
  retries: 3,
  minTimeoutMs: 0,
  maxTimeoutMs: 0,
  maxRetryTimeMs: 10_000,
  randomize: false,
};

export function ruleJson(ruleId: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ruleId,
    ruleName: `rule-${ruleId}`,
    ruleAction: "allow",
    rulePriority: ruleId,
    ruleIsDefault: false,
    ruleIsEnabled: true,
    organizationId: 8094936,
    ...extra,
  };
}
