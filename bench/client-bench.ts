import { demoApiKey, demoApiSecret } from "../src/emulator/default-seed.js";
import { startEmulator } from "../src/emulator/start-emulator.js";
import { createSecureAccessClient } from "../src/secure-access/create-secure-access-client.js";
import { seedRules } from "../test/secure-access/emulator-fixtures.js";

const RULES = 10_000;
const PAGE = 1000;
const ROUNDS = 5;

/**
 * Lists 10,000 rules (10 full pages of 1000, plus the empty page that proves the end) through the client
 * against the emulator, and the same pages with bare fetch as a baseline; reports times and request counts.
 */
export async function runClientBench(): Promise<Record<string, string | number>> {
  const emu = await startEmulator({
    limits: { tokenPerMinute: false, policiesPerMinute: false, policiesPerHour: false },
  });
  try {
    seedRules(emu, RULES - emu.state.rules.length);
    const requests: string[] = [];
    const client = createSecureAccessClient({
      baseUrl: emu.url,
      apiKey: demoApiKey,
      apiSecret: demoApiSecret,
      onRequest: ({ method, route }) => requests.push(`${method} ${route}`),
    });
    await client.listRules(); // warm-up: token, connections, JIT
    let listed = 0;
    const clientMs = await median(async () => {
      listed = (await client.listRules()).length;
    });
    const token = await fetchToken(emu.url);
    const rawMs = await median(() => rawListing(emu.url, token));
    const listings = requests.filter((r) => r === "GET /policies/v2/rules").length;
    const figures = {
      rules: listed,
      requestsPerListing: listings / (ROUNDS + 1),
      tokenRequests: requests.filter((r) => r.startsWith("POST /auth")).length,
      clientMedianMs: Math.round(clientMs),
      bareFetchMedianMs: Math.round(rawMs),
      rulesPerSecond: Math.round(listed / (clientMs / 1000)),
    };
    console.log(
      `client-bench: listed ${figures.rules} rules in ${figures.requestsPerListing} requests ` +
        `(${RULES / PAGE} pages + the short one); median ${figures.clientMedianMs} ms through the client ` +
        `vs ${figures.bareFetchMedianMs} ms with bare fetch (${figures.rulesPerSecond} rules/s); ` +
        `${figures.tokenRequests} token request for ${ROUNDS + 1} listings`,
    );
    return figures;
  } finally {
    await emu.close();
  }
}

async function median(run: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
}

async function fetchToken(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/auth/v2/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${demoApiKey}:${demoApiSecret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function rawListing(baseUrl: string, token: string): Promise<void> {
  for (let offset = 0; offset <= RULES; offset += PAGE) {
    const response = await fetch(`${baseUrl}/policies/v2/rules?offset=${offset}&limit=${PAGE}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await response.json();
  }
}
