import type { IncomingMessage } from "node:http";
import type { Reservation } from "./byte-budget.js";

/** The body was larger than the limit; reading stopped at the limit. */
export class BodyTooLargeError extends Error {
  readonly code = "server.body_too_large";
  constructor(limit: number) {
    super(`request body exceeds ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/** Buffering the body would pass the server-wide cap on buffered bytes; reading stopped. */
export class ServerBusyError extends Error {
  readonly code = "server.busy";
  constructor() {
    super("too many request bytes buffered at once");
    this.name = "ServerBusyError";
  }
}

/** The client went away before the body ended: nothing to answer. */
export class ClientClosedError extends Error {
  readonly code = "server.client_closed";
  constructor() {
    super("client closed the connection before the body ended");
    this.name = "ClientClosedError";
  }
}

/**
 * Reads a request body into a Buffer, holding at most `limit` bytes: a declared Content-Length over the limit
 * fails before reading, a streamed body fails as soon as it passes the limit. Every byte is first reserved in
 * `reservation` (the declared length up front, else chunk by chunk): when the server-wide budget is spent the read
 * fails with ServerBusyError. A client that goes away mid-body fails the read, so its reservation can be released.
 */
export function readBody(request: IncomingMessage, limit: number, reservation: Reservation): Promise<Buffer> {
  const declared = Number(request.headers["content-length"] ?? "0");
  if (declared > limit) return Promise.reject(new BodyTooLargeError(limit));
  if (declared > 0 && !reservation.grow(declared)) return Promise.reject(new ServerBusyError());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (error: Error): void => {
      request.off("data", onData);
      request.pause();
      reject(error);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) return fail(new BodyTooLargeError(limit));
      if (size > declared && !reservation.grow(size - Math.max(declared, size - chunk.length)))
        return fail(new ServerBusyError());
      chunks.push(chunk);
    };
    request.on("data", onData);
    request.once("end", () => resolve(Buffer.concat(chunks, size)));
    request.once("error", reject);
    request.once("close", () => {
      if (!request.complete) reject(new ClientClosedError());
    });
  });
}
