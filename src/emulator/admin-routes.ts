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
 */
export async function handleAdminRequest(
  runtime: EmulatorRuntime,
  actions: AdminActions,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const route = `${req.method ?? "GET"} ${path}`;
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

/** The body may be a JSON object, a JSON string, or the plain spec string. */
function specFromBody(text: string): string | FaultSpec {
  if (!text.startsWith("{") && !text.startsWith('"')) return text;
  try {
    return JSON.parse(text) as string | FaultSpec;
  } catch {
    return text;
  }
}
