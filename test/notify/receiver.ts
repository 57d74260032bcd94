// A notification receiver for tests: a real HTTP server on 127.0.0.1 that records every request and answers
// with a scripted status, or holds requests until released (a slow receiver).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  path: string;
  body: Record<string, unknown>;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Requests that arrived and have not been answered yet. */
  held(): number;
  /** Answers every held request (and every later one) at once. */
  release(): void;
  close(): Promise<void>;
}

export interface ReceiverOptions {
  /** Status per request, in order; then 200. */
  statuses?: number[];
  /** Hold every request until release(). */
  hold?: boolean;
  /** Answer each request only after this long (a slow receiver). */
  delayMs?: number;
}

export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const statuses = [...(options.statuses ?? [])];
  const received: Received[] = [];
  const waiting: Array<() => void> = [];
  let holding = options.hold === true;
  const answer = (response: ServerResponse, status: number) => {
    response.writeHead(status, { "content-type": "text/plain" });
    response.end(status === 200 ? "ok" : "error");
  };
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        path: request.url ?? "/",
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>,
      });
      const status = statuses.shift() ?? 200;
      if (holding) waiting.push(() => answer(response, status));
      else if (options.delayMs !== undefined) setTimeout(() => answer(response, status), options.delayMs);
      else answer(response, status);
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    held: () => waiting.length,
    release() {
      holding = false;
      for (const go of waiting.splice(0)) go();
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
