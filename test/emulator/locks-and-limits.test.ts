/* eslint-disable @typescript-eslint/no-unsafe-assignment -- JSON reply bodies are untyped */
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { connect, fakeClock, grantRule } from "./emulator-test-client.js";

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe("ruleset lock", () => {
  it("answers a write that overlaps another write with 409 'locked'; reads are not blocked", async () => {
    emu = await startEmulator({ writeDelayMs: 150 });
    const api = await connect(emu);
    const [w1, w2, read] = await Promise.all([
      api.call("POST", "/policies/v2/rules", grantRule("w1")),
      api.call("POST", "/policies/v2/rules", grantRule("w2")),
      api.call("GET", "/policies/v2/rules"),
    ]);
    expect([w1.status, w2.status].sort()).toEqual([200, 409]);
    const loser = w1.status === 409 ? w1 : w2;
    expect(loser.json).toEqual({ error: expect.stringContaining("locked"), requestId: expect.any(String) });
    expect(read.status).toBe(200);
    expect(emu.state.rules.filter((rule) => ["w1", "w2"].includes(rule.ruleName))).toHaveLength(1);
    expect(emu.counters()["POST /policies/v2/rules 409"]).toBe(1);
  });

  it("holds the lock during injected latency of a write (delete vs create)", async () => {
    emu = await startEmulator({ faults: "latency=150ms,routes=writes" });
    const api = await connect(emu);
    const replies = await Promise.all([
      api.call("DELETE", "/policies/v2/rules/700001"),
      api.call("POST", "/policies/v2/rules", grantRule("w3")),
    ]);
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, 409]);
  });
});

describe("policies rate limits", () => {
  it("answers 429 {error} with Retry-After seconds past the per-minute limit, per key", async () => {
    const clock = fakeClock();
    emu = await startEmulator({ clock: clock.now, limits: { policiesPerMinute: 3, policiesPerHour: 100 } });
    const api = await connect(emu);
    for (let i = 0; i < 3; i++) expect((await api.call("GET", "/policies/v2/rules")).status).toBe(200);
    clock.advance(20_000);
    const limited = await api.call("GET", "/policies/v2/rules");
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ error: expect.any(String), requestId: expect.any(String) });
    expect(limited.headers.get("retry-after")).toBe("40");
    expect((await api.call("GET", "/reports/v2/identities?limit=1")).status).toBe(200);
    clock.advance(40_000);
    expect((await api.call("GET", "/policies/v2/rules")).status).toBe(200);
  });

  it("enforces the hourly limit too, and `false` disables a limit", async () => {
    const clock = fakeClock();
    emu = await startEmulator({ clock: clock.now, limits: { policiesPerMinute: false, policiesPerHour: 2 } });
    const api = await connect(emu);
    await api.call("GET", "/policies/v2/rules");
    await api.call("GET", "/policies/v2/rules");
    clock.advance(600_000);
    const limited = await api.call("GET", "/policies/v2/rules");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3000");
  });

  it("applies the 2000/min default", async () => {
    const clock = fakeClock();
    emu = await startEmulator({ clock: clock.now });
    const api = await connect(emu);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 2001; i++) {
      const { status } = await api.call("GET", "/policies/v2/rules?limit=1");
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ 200: 2000, 429: 1 });
  });
});
