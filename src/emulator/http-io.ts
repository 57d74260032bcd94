import type { IncomingMessage, ServerResponse } from "node:http";
import { EmulatorApiError } from "./emulator-api-error.js";

const maxBodyBytes = 1024 * 1024;

/** Reads the whole request body as text (413 past 1 MiB). */
export async function readBodyText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new EmulatorApiError(413, "Request body too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses a JSON request body; a non-JSON Content-Type is 415 and malformed JSON is 400. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const type = req.headers["content-type"];
  if (type !== undefined && !/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new EmulatorApiError(415, "Unsupported Media Type: send Content-Type: application/json");
  }
  const text = await readBodyText(req);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new EmulatorApiError(400, "Request body is not valid JSON");
  }
}

/** Sends a JSON reply (or an empty one when body is undefined). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (body === undefined) {
    res.writeHead(status, { ...headers, "Content-Length": "0" });
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/** Sends a text/html reply (used for gateway-style 502 faults). */
export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...headers,
    "Content-Type": "text/html",
    "Content-Length": String(Buffer.byteLength(html)),
  });
  res.end(html);
}
