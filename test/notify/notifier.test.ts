// serve's notifier against real HTTP receivers on 127.0.0.1: Slack and generic payloads, escaping, retries on
// 5xx, no retry on 4xx, a bounded queue, dedup across a restart through the journal file.
import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { pino } from "pino";
import { plan } from "../../src/core/plan/plan.js";
import { validatePolicy } from "../../src/core/validate/validate-policy.js";
import { createNotifier, type Notifier } from "../../src/notify/create-notifier.js";
import {
  createJournal,
  createMemoryJournal,
  readJournal,
  readNotificationEntries,
  type Journal,
} from "../../src/reconcile/journal.js";
import type { StatusSource } from "../../src/core/model/status-report.js";
import type { DesiredGrant, PolicyFile } from "../../src/core/model/types.js";
import {
  approved,
  grant,
  grantFacts,
  NOW,
  OPTIONS,
  planInput,
  hoursFromNow,
} from "../helpers/plan-fixtures.js";
import { startReceiver, type Receiver } from "./receiver.js";

const logger = pino({ level: "silent" });
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function receiver(options: Parameters<typeof startReceiver>[0] = {}): Promise<Receiver> {
  const r = await startReceiver(options);
  cleanups.push(() => r.close());
  return r;
}

function policy(
  sinks: PolicyFile["notify"] extends infer N ? (N extends { sinks: infer S } ? S : never) : never,
): PolicyFile {
  return {
    version: 1,
    organizations: { acme: { orgId: 8094936, credentials: "ACME" } },
    breakGlass: { maxDuration: "1h", requesters: ["@acme/oncall"], notify: ["@acme/security"] },
    notify: { sinks, remindBefore: "15m" },
  };
}

/** The run that created these grants' rules. */
function createdRun(grants: DesiredGrant[]): StatusSource[] {
  const p = plan(planInput({ desired: grants }), NOW, OPTIONS);
  return [{ plan: p, grants: grants.map(grantFacts), created: grants.map((g) => g.grantId), deleted: [] }];
}

function notifier(
  env: Record<string, string>,
  journal: Journal = createMemoryJournal(),
  extra = {},
): Notifier {
  const n = createNotifier(
    { env, fetch: globalThis.fetch, journal, clock: () => NOW, logger, sent: [], ...extra },
    { minBackoffMs: 5, timeoutMs: 2000 },
  );
  cleanups.push(() => n.close(0));
  return n;
}

const HOSTILE = "<!channel> @here see <https://evil.example|your bank> & more";

describe("notifier", () => {
  it("posts a Slack text + mrkdwn block with user text escaped, and a generic JSON event", async () => {
    const slack = await receiver();
    const hook = await receiver();
    const n = notifier({ SLACK_URL: slack.url, HOOK_URL: hook.url });
    n.observe(
      createdRun([grant({ reason: HOSTILE })]),
      policy([
        { type: "slack", urlEnv: "SLACK_URL" },
        { type: "webhook", urlEnv: "HOOK_URL" },
      ]),
    );
    await n.idle();
    expect(slack.received).toHaveLength(1);
    const body = slack.received[0]!.body as {
      text: string;
      blocks: Array<{ type: string; text: { type: string; text: string } }>;
    };
    expect(body.blocks).toEqual([{ type: "section", text: { type: "mrkdwn", text: body.text } }]);
    expect(body.text).toContain("Access granted: alice@example.com → Jira until");
    expect(body.text).toContain(
      "&lt;!channel&gt; @\u2060here see &lt;https://evil.example|your bank&gt; &amp; more",
    );
    expect(body.text).not.toMatch(/<|@here/);
    expect(hook.received[0]!.body).toMatchObject({
      version: 1,
      event: "granted",
      organization: "acme",
      grantId: "payments/alice-jira",
      users: ["alice@example.com"],
      resources: ["Jira"],
      reason: HOSTILE,
      pr: 12,
    });
  });

  it("says break-glass loudly and mentions the policy's notify list", async () => {
    const hook = await receiver();
    const n = notifier({ HOOK_URL: hook.url });
    n.observe(
      createdRun([
        grant({ breakGlass: true, approval: approved(5, "break-glass"), expiresAt: hoursFromNow(1) }),
      ]),
      policy([{ type: "webhook", urlEnv: "HOOK_URL" }]),
    );
    await n.idle();
    expect(hook.received.map((r) => r.body["event"])).toEqual(["break-glass"]);
    expect(hook.received[0]!.body["mentions"]).toEqual(["@acme/security"]);
    expect(hook.received[0]!.body["text"]).toMatch(
      /^🚨 BREAK-GLASS access used: .* without review\. Notifying @acme\/security\. Reason: /,
    );
  });

  it("reminds before the expiry with how to extend, once per grant version", async () => {
    const hook = await receiver();
    const n = notifier({ HOOK_URL: hook.url });
    const run = createdRun([grant({ expiresAt: hoursFromNow(0.2) })]);
    n.observe(run, policy([{ type: "webhook", urlEnv: "HOOK_URL" }]));
    n.observe(run, policy([{ type: "webhook", urlEnv: "HOOK_URL" }]));
    await n.idle();
    expect(hook.received.map((r) => r.body["event"])).toEqual(["granted", "expiring-soon"]);
    expect(hook.received[1]!.body["text"]).toContain(
      "Access expiring in 12m 00s: alice@example.com → Jira until 2026-11-26T10:12:00Z",
    );
    expect(hook.received[1]!.body["text"]).toContain(
      "grantops request --user alice@example.com --resource Jira",
    );
  });

  it("names the groups of a group-only grant: Slack text (escaped), JSON `groups`, and the reminder's --group", async () => {
    const slack = await receiver();
    const hook = await receiver();
    const n = notifier({ SLACK_URL: slack.url, HOOK_URL: hook.url });
    const groups = ["oncall-sre", "<!channel> @here"];
    n.observe(
      createdRun([grant({ users: [], identityIds: [], groups, groupIds: [1173600002, 1173600009] })]),
      policy([
        { type: "slack", urlEnv: "SLACK_URL" },
        { type: "webhook", urlEnv: "HOOK_URL" },
      ]),
    );
    await n.idle();
    const slackText = (slack.received[0]!.body as { text: string }).text;
    expect(slackText).toContain(
      "Access granted: group oncall-sre, group &lt;!channel&gt; @\u2060here → Jira until",
    );
    expect(slackText).not.toMatch(/<|@here|\?/);
    expect(hook.received[0]!.body).toMatchObject({
      event: "granted",
      users: [],
      groups,
      resources: ["Jira"],
    });
    expect(hook.received[0]!.body["text"]).toContain(
      "Access granted: group oncall-sre, group <!channel> @here → Jira",
    );

    const reminded = await receiver();
    const later = notifier({ HOOK_URL: reminded.url });
    const run = createdRun([
      grant({
        users: [],
        identityIds: [],
        groups: ["oncall-sre"],
        groupIds: [1173600002],
        expiresAt: hoursFromNow(0.2),
      }),
    ]);
    later.observe(run, policy([{ type: "webhook", urlEnv: "HOOK_URL" }]));
    await later.idle();
    const reminder = reminded.received.find((r) => r.body["event"] === "expiring-soon")!.body;
    expect(reminder["groups"]).toEqual(["oncall-sre"]);
    expect(reminder["text"]).toContain("Access expiring in 12m 00s: group oncall-sre → Jira");
    expect(reminder["text"]).toContain("grantops request --group oncall-sre --resource Jira --duration 1h");
  });

  it("retries a 5xx answer until it is accepted, and journals the send once", async () => {
    const hook = await receiver({ statuses: [503, 500, 502] });
    const journal = createMemoryJournal();
    const n = notifier({ HOOK_URL: hook.url }, journal);
    n.observe(createdRun([grant()]), policy([{ type: "webhook", urlEnv: "HOOK_URL" }]));
    await n.idle();
    expect(hook.received).toHaveLength(4);
    expect(new Set(hook.received.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(journal.notifications).toEqual([
      expect.objectContaining({
        action: "notify",
        event: "granted",
        sink: "webhook:HOOK_URL",
        outcome: "sent",
      }),
    ]);
    expect(JSON.stringify(journal.notifications)).not.toContain(hook.url);
  });

  it("does not retry a 4xx, and records the failure without the URL", async () => {
    const hook = await receiver({ statuses: [404] });
    const journal = createMemoryJournal();
    const n = notifier({ HOOK_URL: hook.url }, journal);
    n.observe(createdRun([grant()]), policy([{ type: "webhook", urlEnv: "HOOK_URL" }]));
    await n.idle();
    expect(hook.received).toHaveLength(1);
    expect(journal.notifications[0]).toMatchObject({ outcome: "failed", error: { code: "NOTIFY_REJECTED" } });
  });

  it("keeps a bounded queue: deliveries beyond the limit are dropped, never blocking observe", async () => {
    const hook = await receiver({ hold: true });
    const dropped: string[] = [];
    const n = createNotifier(
      {
        env: { HOOK_URL: hook.url },
        fetch: globalThis.fetch,
        journal: createMemoryJournal(),
        clock: () => NOW,
        logger,
        sent: [],
        onDelivery: (_sink, outcome) => outcome === "dropped" && dropped.push(outcome),
      },
      { queueLimit: 2, minBackoffMs: 5 },
    );
    cleanups.push(async () => {
      hook.release();
      await n.close(1000);
    });
    const grants = Array.from({ length: 6 }, (_, i) => grant({ grantId: `t/g${i}`, identityIds: [100 + i] }));
    n.observe(createdRun(grants), policy([{ type: "webhook", urlEnv: "HOOK_URL" }]));
    // Two wait (one of them now in flight, held by the receiver), four were dropped; observe returned at once.
    expect(dropped).toHaveLength(4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(hook.received).toHaveLength(1);
  });

  it("close() stops a delivery that is still retrying: nothing stays pending to hold a stopping serve open", async () => {
    const hook = await receiver({ statuses: Array.from({ length: 10 }, () => 503) });
    const journal = createMemoryJournal();
    const n = createNotifier(
      { env: { HOOK_URL: hook.url }, fetch: globalThis.fetch, journal, clock: () => NOW, logger, sent: [] },
      { retries: 5, minBackoffMs: 60_000, timeoutMs: 2000 },
    );
    n.observe(createdRun([grant()]), policy([{ type: "webhook", urlEnv: "HOOK_URL" }]));
    while (hook.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await n.close(50);
    const settled = await Promise.race([
      n.idle().then(() => "idle"),
      new Promise((resolve) => setTimeout(() => resolve("still retrying"), 2000)),
    ]);
    expect(settled).toBe("idle");
    expect(hook.received).toHaveLength(1);
    expect(journal.notifications).toEqual([
      expect.objectContaining({ action: "notify", sink: "webhook:HOOK_URL", outcome: "failed" }),
    ]);
  });

  it("sends once across a restart: a new notifier reading the same journal file sends nothing again", async () => {
    const hook = await receiver();
    const dir = await mkdtemp(join(tmpdir(), "grantops-notify-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, "journal.jsonl");
    const run = createdRun([grant({ expiresAt: hoursFromNow(0.1) })]);
    const first = notifier({ HOOK_URL: hook.url }, createJournal(path));
    first.observe(run, policy([{ type: "webhook", urlEnv: "HOOK_URL" }]));
    await first.idle();
    expect(hook.received).toHaveLength(2);
    const second = notifier({ HOOK_URL: hook.url }, createJournal(path), {
      sent: await readNotificationEntries(path),
    });
    second.observe(run, policy([{ type: "webhook", urlEnv: "HOOK_URL" }]));
    await second.idle();
    expect(hook.received).toHaveLength(2);
    // Readers of steps skip the notify lines silently.
    const warnings: string[] = [];
    expect(await readJournal(path, { onWarning: (w) => warnings.push(w) })).toEqual([]);
    expect(warnings).toEqual([]);
  });
});

describe("notify: in policy.yaml", () => {
  it("is validated: a sink listed twice and an unreadable remindBefore are errors", () => {
    const p = policy([
      { type: "slack", urlEnv: "SLACK_URL" },
      { type: "slack", urlEnv: "SLACK_URL" },
    ]);
    p.notify!.remindBefore = "P";
    const problems = validatePolicy(p, "policy.yaml", () => ({ line: 1, column: 1 }));
    expect(problems.map((q) => q.code).sort()).toEqual(["duration-invalid", "notify-sink-duplicate"]);
  });
});
