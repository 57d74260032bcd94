import type { SecureAccessApi } from "../../src/core/model/secure-access-types.js";
import {
  createSecureAccessClient,
  type SecureAccessClientOptions,
} from "../../src/secure-access/create-secure-access-client.js";
import { fastRetry, TEST_KEY, TEST_SECRET } from "./scripted-server.js";

export interface TestClient {
  client: SecureAccessApi;
  /** Every log line as JSON text (object + message). */
  logs: string[];
  sleeps: number[];
  requests: Array<{ method: string; route: string; status: number | "error"; attempt: number }>;
}

/** A client with zero-delay retries, a recording logger, sleep and onRequest hook. */
export function makeTestClient(
  baseUrl: string,
  overrides: Partial<SecureAccessClientOptions> = {},
): TestClient {
  const logs: string[] = [];
  const sleeps: number[] = [];
  const requests: TestClient["requests"] = [];
  const client = createSecureAccessClient({
    baseUrl,
    apiKey: TEST_KEY,
    apiSecret: TEST_SECRET,
    retry: fastRetry,
    timeoutMs: 5_000,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    logger: {
      debug: (obj, msg) => logs.push(JSON.stringify({ level: "debug", ...obj, msg })),
      warn: (obj, msg) => logs.push(JSON.stringify({ level: "warn", ...obj, msg })),
    },
    onRequest: ({ method, route, status, attempt }) => requests.push({ method, route, status, attempt }),
    ...overrides,
  });
  return { client, logs, sleeps, requests };
}
