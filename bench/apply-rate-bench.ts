// Apply rate (docs/chaos.md): "at least 90% of the vendor's write rate limit when the emulator enforces it".
//
// The emulator's policies limit is a sliding 60 s window per API key: a fresh key may burst `limit` calls at
// once, so a short run would measure the burst, not the rate. The bench therefore starts from the steady state
// of a key that has been used at the limit for the past minute: before the apply it makes `limit` cheap calls
// whose times (the emulator's injected clock) are spread evenly over the last 60 s, so one slot frees every
// 60/limit s. Then one `grantops apply` (a child process of the built CLI) creates N rules and the bench
// measures creates per second (and all policies calls per second) against the limit.
import { join } from "node:path";
import { startEmulator } from "../src/emulator/start-emulator.js";
import { createGitFixture } from "../test/helpers/git-fixture.js";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { runChild } from "./chaos-child.js";
import { chaosGrantYaml, chaosKey, chaosSecret, chaosSeed } from "./chaos-world.js";

const root = fileURLToPath(new URL("..", import.meta.url));

export interface ApplyRateOptions {
  /** Policies calls per minute the emulator allows (per key). */
  limitPerMinute: number;
  creates: number;
}

export async function runApplyRateBench(
  options: ApplyRateOptions = { limitPerMinute: 2000, creates: 500 },
): Promise<Record<string, string | number>> {
  const { limitPerMinute: limit, creates } = options;
  let offsetMs = 0;
  const createTimes: number[] = [];
  const policiesTimes: number[] = [];
  const limitedTimes: number[] = [];
  const emulator = await startEmulator({
    seed: chaosSeed({ users: 50, resources: Math.ceil(creates / 50), foreign: 10, keys: 1 }),
    limits: { tokenPerMinute: false, policiesPerMinute: limit, policiesPerHour: false },
    clock: () => Date.now() + offsetMs,
    log: (line) => {
      const now = performance.now();
      if (/^(GET|POST|PUT|DELETE) \/policies\/\S+ (?!429)\d+ /.test(line)) policiesTimes.push(now);
      if (/^POST \/policies\/v2\/rules 200 /.test(line)) createTimes.push(now);
      if (/^(GET|POST|PUT|DELETE) \/policies\/\S+ 429 /.test(line)) limitedTimes.push(now);
    },
  });
  const repo = await createGitFixture();
  try {
    await repo.write("policy.yaml", await readFile(join(root, "policy.yaml"), "utf8"));
    for (let i = 0; i < creates; i++) {
      const grant = { user: i % 50, resource: Math.floor(i / 50), expiresAtMs: null, revision: i };
      await repo.write(`grants/rate/g-${i}.yaml`, chaosGrantYaml(grant));
    }
    await repo.commit("rate: grants", new Date(Date.now() - 60_000).toISOString());
    const home = await repo.tempDir();
    const freeTimes = await prefill(emulator.url, limit, (ms) => (offsetMs = ms));
    policiesTimes.length = 0;
    limitedTimes.length = 0;
    const started = performance.now();
    const run = await runChild({
      n: 1,
      args: ["apply", "--trust-git", "--repo", repo.dir, "--journal", join(home, "journal.jsonl")],
      env: {
        PATH: process.env["PATH"] ?? "",
        HOME: home,
        GRANTOPS_ACME_API_URL: emulator.url,
        GRANTOPS_ACME_API_KEY: chaosKey(1),
        GRANTOPS_ACME_API_SECRET: chaosSecret,
        GRANTOPS_LOG_LEVEL: "silent",
      },
      cwd: home,
      deadline: Date.now() + 5 * 60_000,
    });
    const elapsed = (performance.now() - started) / 1000;
    freeTimes.push(...policiesTimes.map((t) => t + 60_000));
    return report({ limit, run, elapsed, createTimes, policiesTimes, limitedTimes, freeTimes });
  } finally {
    await emulator.close();
    await repo.cleanup();
  }
}

/**
 * `limit` rule listings whose emulator-clock times are spread evenly over the last 60 s. Returns when each of
 * them leaves the window (performance.now() ms).
 */
async function prefill(url: string, limit: number, setOffset: (ms: number) => void): Promise<number[]> {
  const basic = Buffer.from(`${chaosKey(1)}:${chaosSecret}`).toString("base64");
  const tokenReply = await fetch(`${url}/auth/v2/token`, {
    method: "POST",
    headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  });
  const { access_token: token } = (await tokenReply.json()) as { access_token: string };
  const anchor = Date.now();
  const perfAnchor = performance.now();
  const step = 60_000 / limit;
  const frees: number[] = [];
  for (let i = 0; i < limit; i++) {
    // The i-th call lands at anchor - 60 s + (i + 1) * step on the emulator's clock.
    setOffset(anchor - 60_000 + (i + 1) * step - Date.now());
    const reply = await fetch(`${url}/policies/v2/rules?limit=1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await reply.arrayBuffer();
    if (reply.status !== 200) throw new Error(`prefill call ${i} answered ${reply.status}`);
    frees.push(perfAnchor + (i + 1) * step);
  }
  setOffset(0);
  return frees;
}

/**
 * Once the window is full (the first 429), the k-th successful call uses the k-th slot that frees. The mean
 * time from a slot freeing to its use is the client's loss: each slot then cycles every 60 s + that delay, so
 * the sustained rate is limit / (60 s + delay), whatever the length of the run.
 */
function meanSlotDelay(calls: number[], frees: number[], saturated: number): number {
  const used = calls.filter((t) => t > saturated);
  const freed = frees.filter((t) => t > saturated).sort((a, b) => a - b);
  const delays = used.map((t, k) => Math.max(0, t - (freed[k] ?? t)));
  return delays.reduce((sum, d) => sum + d, 0) / Math.max(1, delays.length);
}

function report(input: {
  limit: number;
  run: { code: number | null; stderr: string };
  elapsed: number;
  createTimes: number[];
  policiesTimes: number[];
  limitedTimes: number[];
  freeTimes: number[];
}): Record<string, string | number> {
  const limitPerSecond = input.limit / 60;
  const first = input.createTimes[0] ?? 0;
  const saturated = input.limitedTimes[0] ?? first;
  const lastLimited = input.limitedTimes[input.limitedTimes.length - 1] ?? saturated;
  // Between the first and the last 429 every cycle is complete (wait, then use every freed slot).
  const cycles = input.createTimes.filter((t) => t > saturated && t <= lastLimited).length;
  const measured = lastLimited > saturated ? (cycles * 1000) / (lastLimited - saturated) : 0;
  const delay = meanSlotDelay(input.policiesTimes, input.freeTimes, saturated);
  const waits = input.limitedTimes.map((t) => (input.createTimes.find((c) => c > t) ?? t) - t);
  const round = (x: number): number => Math.round(x * 100) / 100;
  const figures: Record<string, string | number> = {
    "apply-rate: policies limit (calls/s)": round(limitPerSecond),
    "apply-rate: rules created": input.createTimes.length,
    "apply-rate: apply exit code": input.run.code ?? "killed",
    "apply-rate: apply wall time (s)": Math.round(input.elapsed * 10) / 10,
    "apply-rate: 429 answers": input.limitedTimes.length,
    "apply-rate: wait after a 429 until the next create, mean (ms)": Math.round(
      waits.reduce((sum, w) => sum + w, 0) / Math.max(1, waits.length),
    ),
    "apply-rate: wait after a 429 until the next create, max (ms)": Math.round(Math.max(0, ...waits)),
    "apply-rate: creates/s between the first and last 429": round(measured),
    "apply-rate: mean delay from a slot freeing to its use (ms)": Math.round(delay),
    "apply-rate: sustained creates/s, limit x 60 / (60 + delay)": round(
      (limitPerSecond * 60_000) / (60_000 + delay),
    ),
    "apply-rate: sustained creates as % of the limit (target >= 90)": round(
      (60_000 / (60_000 + delay)) * 100,
    ),
  };
  for (const [label, value] of Object.entries(figures)) console.log(`${label}: ${value}`);
  if (input.run.code !== 0) console.log(`apply-rate: apply stderr: ${input.run.stderr.slice(0, 500)}`);
  return figures;
}
