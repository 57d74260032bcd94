import { startEmulator } from "../src/emulator/start-emulator.js";
import { grantRule } from "../test/emulator/emulator-test-client.js";

const creates = 3000;
const warmup = 500;

/** Rule creates per minute against the emulator with rate limits off: sequential keep-alive fetch (target >= 20,000/min). */
export async function runEmulatorBench(): Promise<Record<string, string | number>> {
  const emu = await startEmulator({ limits: { policiesPerMinute: false, policiesPerHour: false } });
  try {
    const basic = `Basic ${Buffer.from("grantops-demo-key:grantops-demo-secret").toString("base64")}`;
    const tokenReply = await fetch(`${emu.url}/auth/v2/token`, {
      method: "POST",
      headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
    const { access_token: token } = (await tokenReply.json()) as { access_token: string };
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    await createRules(emu.url, headers, warmup); // JIT warm-up of client and server, not timed
    emu.reset();
    const started = performance.now();
    await createRules(emu.url, headers, creates);
    const seconds = (performance.now() - started) / 1000;
    const perMinute = Math.round((creates / seconds) * 60);
    console.log(
      `emulator: ${creates} sequential rule creates in ${seconds.toFixed(2)} s = ${perMinute} creates/min (target >= 20000)`,
    );
    return {
      "emulator.creates": creates,
      "emulator.seconds": Number(seconds.toFixed(3)),
      "emulator.createsPerMinute": perMinute,
    };
  } finally {
    await emu.close();
  }
}

async function createRules(url: string, headers: Record<string, string>, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const reply = await fetch(`${url}/policies/v2/rules`, {
      method: "POST",
      headers,
      body: JSON.stringify(
        grantRule(`grantops-bench-${i}`, {
          ruleDescription: `grantops/v1 exp=2026-11-26T18:00Z sha=000000000000 grant=bench/${i}`,
        }),
      ),
    });
    if (reply.status !== 200) throw new Error(`create ${i} answered ${reply.status}: ${await reply.text()}`);
    await reply.arrayBuffer();
  }
}
