// Revocation never waits behind grants (issue 16): `grantops serve` (in-process, real CLI) against the emulator
// with its default limits (2000 policies calls a minute, 6000 an hour). A push brings 500 grants that all expire
// at one instant 45 s later; right after they exist, a push brings 1,400 more grants. The calls of both runs
// do not fit one minute of the vendor's window: the client must keep room for the 500 deletes. Figure: the
// last delete's lag after the expiry (target <= 5 s).
import { parseMarker } from "../src/core/rule/rule-marker.js";
import {
  createServeWorld,
  deliver,
  grantYaml,
  pushPayload,
  startServeCli,
  waitFor,
} from "../test/serve-e2e/serve-world.js";
import { chaosResource, chaosSeed, chaosUser } from "./chaos-world.js";

const EXPIRING = 500;
const CREATES = 1400;
const USERS = 50;

export async function runRevocationBench(): Promise<Record<string, string | number>> {
  const seed = chaosSeed({
    users: USERS,
    resources: Math.ceil((EXPIRING + CREATES) / USERS),
    foreign: 0,
    keys: 0,
  });
  const world = await createServeWorld({ emulator: { seed } });
  const serve = await startServeCli(world, ["--trust-git", "--interval", "1h"]);
  const grant = (i: number, duration: string) =>
    grantYaml([chaosUser(i % USERS)], [chaosResource(Math.floor(i / USERS))], duration);
  try {
    await waitFor(async () => (await fetch(`${serve.url}/readyz`)).status === 200, 10_000, "ready");
    const short: Record<string, string> = {};
    const ids = Array.from({ length: EXPIRING }, (_, i) => `expiring/g-${i}`);
    ids.forEach((id, i) => (short[`grants/${id}.yaml`] = grant(i, "45s")));
    const first = await world.push(short, "500 short grants");
    await deliver(serve.url, "push", pushPayload(first));
    await waitFor(() => ids.every((id) => world.managed().has(id)), 60_000, "short rules created");
    const expiry = Date.parse(parseMarker(world.managed().get(ids[0] ?? "")?.ruleDescription)?.exp ?? "");
    const long: Record<string, string> = {};
    for (let i = EXPIRING; i < EXPIRING + CREATES; i++) long[`grants/push/g-${i}.yaml`] = grant(i, "8h");
    const second = await world.push(long, "1,400 grants");
    await deliver(serve.url, "push", pushPayload(second));
    const gone = await watchGone(world, new Set(ids), expiry + 120_000);
    const lags = [...gone.values()].map((at) => at - expiry);
    const counters = world.emulator.counters();
    const limited = Object.entries(counters)
      .filter(([key]) => / 429$/.test(key))
      .reduce((sum, [, n]) => sum + n, 0);
    const figures: Record<string, string | number> = {
      "revocation: rules deleted after the expiry": gone.size,
      "revocation: first delete after the expiry (ms)": Math.min(...lags),
      "revocation: 429 answers": limited,
      "revocation: creates of the second push done by the last delete": countCreated(world) - EXPIRING,
      "revocation: last of 500 deletes after the expiry, 1,400 creates just before (ms) (target <= 5000)":
        gone.size === EXPIRING ? Math.max(...lags) : 999_999,
    };
    for (const [label, value] of Object.entries(figures)) console.log(`${label}: ${value}`);
    return figures;
  } finally {
    await serve.stop();
    await world.close();
  }
}

function countCreated(world: Awaited<ReturnType<typeof createServeWorld>>): number {
  return [...world.managed().keys()].filter((id) => id.startsWith("push/")).length + EXPIRING;
}

async function watchGone(
  world: Awaited<ReturnType<typeof createServeWorld>>,
  ids: Set<string>,
  deadline: number,
): Promise<Map<string, number>> {
  const gone = new Map<string, number>();
  while (gone.size < ids.size && Date.now() < deadline) {
    const live = world.managed();
    for (const id of ids) if (!gone.has(id) && !live.has(id)) gone.set(id, Date.now());
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return gone;
}
