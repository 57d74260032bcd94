import type { IncomingMessage, ServerResponse } from "node:http";
import { GrantopsError } from "../core/model/grantops-error.js";
import { stateToSeed } from "./emulator-state.js";
import type { EmulatorRuntime } from "./emulator-runtime.js";
import { parseFaultSpec, type FaultSpec } from "./fault-spec.js";
import { readBodyText, sendJson } from "./http-io.js";

export const adminPrefix = "/_emulator/";

/** What the admin routes need from the running emulator. */
export interface AdminActions {
  reset(): void;
  counters(): Record<string, number>;
}

/**
 * The emulator's own routes, never mixed with vendor paths and never subject to auth, rate limits or faults
 * (a loopback development tool: do not expose it). GET state, POST reset, GET/POST faults, GET counters.
 * A web page open in a developer's browser must not drive them: the `Host` must be a loopback name (403 otherwise,
 * which defeats DNS rebinding) and POSTs must be `application/json` (415 otherwise: a cross-origin form or
 * `text/plain` POST cannot set that type without a CORS preflight, which the emulator never grants).
 */
export async function handleAdminRequest(
  runtime: EmulatorRuntime,
  actions: AdminActions,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const route = `${req.method ?? "GET"} ${path}`;
  if (!isLoopbackHost(req.headers.host, req.socket.localPort))
    return sendJson(res, 403, { message: "emulator admin routes answer only to a loopback Host" });
  if (req.method === "POST" && !isJson(req.headers["content-type"]))
    return sendJson(res, 415, { message: "emulator admin POSTs need Content-Type: application/json" });
  switch (route) {
    case "GET /_emulator/state":
      return sendJson(res, 200, stateToSeed(runtime.state));
    case "POST /_emulator/reset":
      actions.reset();
      return sendJson(res, 200, { ok: true });
    case "GET /_emulator/faults":
      return sendJson(res, 200, runtime.faults.plan);
    case "POST /_emulator/faults":
      return setFaults(runtime, req, res);
    case "GET /_emulator/counters":
      return sendJson(res, 200, actions.counters());
    default:
      return sendJson(res, 404, { message: `no emulator admin route ${route}` });
  }
}

async function setFaults(runtime: EmulatorRuntime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const text = (await readBodyText(req)).trim();
  try {
    runtime.faults.set(parseFaultSpec(specFromBody(text)));
    sendJson(res, 200, runtime.faults.plan);
  } catch (error) {
    const message = error instanceof GrantopsError ? error.message : "invalid fault spec";
    sendJson(res, 400, { message });
  }
}

/** The body is a JSON object or a JSON string holding the spec. */
function specFromBody(text: string): string | FaultSpec {
  try {
    return JSON.parse(text) as string | FaultSpec;
  } catch {
    return text;
  }
}

const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::(\d{1,5}))?$/i;

/** `127.0.0.1`, `localhost` or `[::1]`, with the port the request came in on when one is given. */
export function isLoopbackHost(host: string | undefined, localPort: number | undefined): boolean {
  const match = LOOPBACK_HOST.exec(host ?? "");
  if (match === null) return false;
  return match[1] === undefined || localPort === undefined || Number(match[1]) === localPort;
}

function isJson(contentType: string | undefined): boolean {
  return (contentType ?? "").split(";", 1)[0]?.trim().toLowerCase() === "application/json";
}
