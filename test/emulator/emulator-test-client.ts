/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access -- JSON reply bodies are untyped */
import {
  startEmulator,
  type EmulatorOptions,
  type RunningEmulator,
} from "../../src/emulator/start-emulator.js";

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  json: any;
}

export const demoBasic = `Basic ${Buffer.from("grantops-demo-key:grantops-demo-secret").toString("base64")}`;

/** A settable ms clock. */
export function fakeClock(start = Date.parse("2026-11-24T10:00:00Z")): {
  now: () => number;
  advance(ms: number): void;
} {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
  };
}

export async function request(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export async function fetchToken(emu: RunningEmulator, authorization = demoBasic): Promise<Reply> {
  return request(`${emu.url}/auth/v2/token`, {
    method: "POST",
    headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  });
}

/** A tiny vendor client bound to one emulator and token. */
export interface Api {
  emu: RunningEmulator;
  token: string;
  call(method: string, path: string, body?: unknown): Promise<Reply>;
}

export async function connect(emu: RunningEmulator, authorization = demoBasic): Promise<Api> {
  const token = (await fetchToken(emu, authorization)).json.access_token as string;
  return {
    emu,
    token,
    call: (method, path, body) =>
      request(`${emu.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
  };
}

export async function startWithApi(options: EmulatorOptions = {}): Promise<Api> {
  return connect(await startEmulator(options));
}

/** A valid create body for "identity → resource" (example data ids). */
export function grantRule(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ruleName: name,
    ruleDescription: `grant ${name}`,
    ruleAction: "allow",
    ruleIsEnabled: true,
    ruleConditions: [
      {
        attributeName: "umbrella.source.identity_ids",
        attributeOperator: "INTERSECT",
        attributeValue: [1173502975],
      },
      {
        attributeName: "umbrella.destination.private_resource_ids",
        attributeOperator: "IN",
        attributeValue: [183456],
      },
    ],
    ruleSettings: [
      { settingName: "umbrella.logLevel", settingValue: "LOG_ALL" },
      { settingName: "umbrella.default.traffic", settingValue: "PRIVATE_NETWORK" },
    ],
    ...overrides,
  };
}

/** [ruleName, priority, isDefault] of every rule, in priority order, through the API. */
export async function ruleOrder(api: Api): Promise<Array<[string, number, boolean]>> {
  const reply = await api.call("GET", "/policies/v2/rules?limit=1000");
  return (
    reply.json.results as Array<{ ruleName: string; rulePriority: number; ruleIsDefault: boolean }>
  ).map((rule) => [rule.ruleName, rule.rulePriority, rule.ruleIsDefault]);
}
