// Notifications from a real `grantops serve` (in-process CLI, emulator, bare remote): a receiver that never
// answers does not delay an expiry delete; a restarted serve reading the same journal does not send again.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJournal, readNotificationEntries } from "../../src/reconcile/journal.js";
import { startReceiver, type Receiver } from "../notify/receiver.js";
import {
  createServeWorld,
  deliver,
  grantYaml,
  pushPayload,
  EVENT_BOUND_MS,
  SHORT_GRANT_SECONDS,
  SLOW_TEST_MS,
  startServeCli,
  waitFor,
  type ServeWorld,
} from "./serve-world.js";

const packageRoot = fileURLToPath(new URL("../../", import.meta.url));

let world: ServeWorld;
let slow: Receiver;
let hook: Receiver;

beforeAll(async () => {
  world = await createServeWorld();
  slow = await startReceiver({ hold: true });
  hook = await startReceiver();
  world.env["GRANTOPS_TEST_SLACK_URL"] = slow.url;
  world.env["GRANTOPS_TEST_HOOK_URL"] = hook.url;
  const policy = await readFile(join(packageRoot, "policy.yaml"), "utf8");
  await world.push({
    "policy.yaml":
      policy +
      `notify:\n  remindBefore: ${SHORT_GRANT_SECONDS / 2}s\n` +
      "  sinks:\n" +
      "    - { type: slack, urlEnv: GRANTOPS_TEST_SLACK_URL }\n" +
      "    - { type: webhook, urlEnv: GRANTOPS_TEST_HOOK_URL }\n",
  });
}, SLOW_TEST_MS);

afterAll(async () => {
  slow?.release();
  await slow?.close();
  await hook?.close();
  await world?.close();
});

const events = () => hook.received.map((r) => `${String(r.body["event"])} ${String(r.body["grantId"])}`);

describe("serve notifications", () => {
  it(
    "a receiver that never answers does not delay an expiry delete; the other sink hears everything",
    { timeout: SLOW_TEST_MS },
    async () => {
      const serve = await startServeCli(world, ["--trust-git", "--interval", "1h"]);
      try {
        const sha = await world.push({
          "grants/n/erin-wiki.yaml": grantYaml(["erin@example.com"], ["Wiki"], `${SHORT_GRANT_SECONDS}s`),
          "grants/n/dave-grafana.yaml": grantYaml(["dave@example.com"], ["Grafana"], "1h"),
        });
        expect(await deliver(serve.url, "push", pushPayload(sha))).toBe(202);
        await waitFor(() => world.managed().has("n/erin-wiki"), EVENT_BOUND_MS, "rule created");
        await waitFor(() => !world.managed().has("n/erin-wiki"), EVENT_BOUND_MS, "rule deleted at expiry");
        // The Slack receiver holds its first request: the deliveries to it are still waiting, the delete is done.
        expect(slow.held()).toBeGreaterThanOrEqual(1);
        const journalPath = join(world.home, ".grantops", "journal.jsonl");
        await waitFor(
          async () =>
            (await readJournal(journalPath)).some((e) => e.action === "delete" && e.reason === "expired"),
          EVENT_BOUND_MS,
          "expiry journaled",
        );
        await waitFor(() => events().includes("expired n/erin-wiki"), EVENT_BOUND_MS, "expired notification");
        expect(events()).toEqual(
          expect.arrayContaining([
            "granted n/erin-wiki",
            "granted n/dave-grafana",
            "expiring-soon n/erin-wiki",
          ]),
        );
        slow.release();
        await waitFor(() => slow.received.length >= 4, EVENT_BOUND_MS, "the slow sink catches up");
        expect(slow.received[0]!.body).toHaveProperty("blocks");
      } finally {
        await serve.stop();
      }
    },
  );

  it(
    "a restarted serve reading the same journal sends nothing it already sent",
    { timeout: SLOW_TEST_MS },
    async () => {
      const journalPath = join(world.home, ".grantops", "journal.jsonl");
      const sentBefore = (await readNotificationEntries(journalPath)).filter(
        (e) => e.outcome === "sent",
      ).length;
      const before = hook.received.length;
      const serve = await startServeCli(world, ["--trust-git", "--interval", "1h"]);
      try {
        await waitFor(
          async () => (await fetch(`${serve.url}/readyz`)).status === 200,
          EVENT_BOUND_MS,
          "startup run",
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(hook.received.slice(before)).toEqual([]);
        expect((await readNotificationEntries(journalPath)).filter((e) => e.outcome === "sent").length).toBe(
          sentBefore,
        );
      } finally {
        await serve.stop();
      }
    },
  );
});
