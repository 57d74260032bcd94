/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- JSON reply bodies are untyped */
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { parseFaultSpec } from "../../src/emulator/fault-spec.js";
import { InvalidInputError } from "../../src/core/model/grantops-error.js";
import { connect, fetchToken, grantRule, request, type Api } from "./emulator-test-client.js";
import { seededRandom } from "../helpers/seeded-random.js";

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function statuses(
  api: Api,
  count: number,
  path = "/policies/v2/rules?limit=1",
): Promise<Array<number | string>> {
  const out: Array<number | string> = [];
  for (let i = 0; i < count; i++) {
    try {
      out.push((await api.call("GET", path)).status);
    } catch {
      out.push("network");
    }
  }
  return out;
}

describe("parseFaultSpec", () => {
  it("parses the string form", () => {
    const plan = parseFaultSpec(
      "429=0.1,500=0.05,503=0.02,409=0.05,reset=0.01,latency=20-200ms,failNext=3:502,failNth=7,retryAfter=off,routes=writes+token,timeoutMs=500",
    );
    expect(plan).toEqual({
      rates: [
        ["429", 0.1],
        ["500", 0.05],
        ["503", 0.02],
        ["409", 0.05],
        ["reset", 0.01],
      ],
      latency: { minMs: 20, maxMs: 200 },
      failNext: { count: 3, outcome: 502 },
      failNth: { n: 7, outcome: 503 },
      retryAfterSeconds: false,
      routes: ["writes", "token"],
      timeoutMs: 500,
    });
  });

  it("parses the JSON object form", () => {
    const plan = parseFaultSpec({
      "500": 0.2,
      latency: { minMs: 5, maxMs: 10 },
      failNext: { count: 2, status: "reset" },
      retryAfter: 7,
    });
    expect(plan).toMatchObject({
      rates: [["500", 0.2]],
      latency: { minMs: 5, maxMs: 10 },
      failNext: { count: 2, outcome: "reset" },
      retryAfterSeconds: 7,
    });
  });

  it.each(["", "none", "off"])("treats %j as no faults", (spec) => {
    expect(parseFaultSpec(spec).rates).toEqual([]);
  });

  it("reports every problem at once as InvalidInputError", () => {
    const attempt = (): unknown =>
      parseFaultSpec("429=2,bogus=1,latency=fast,routes=everything,failNext=x:999");
    expect(attempt).toThrow(InvalidInputError);
    expect(attempt).toThrow(/429 must be a probability.*unknown key "bogus".*latency:.*routes:.*failNext:/);
    expect(() => parseFaultSpec("500=0.6,503=0.6")).toThrow(/more than 1/);
  });
});

describe("fault injection", () => {
  it("is deterministic with a seeded random and roughly matches the rates", async () => {
    const run = async (): Promise<Array<number | string>> => {
      const server = await startEmulator({ faults: "500=0.3,503=0.2", random: seededRandom(42) });
      const api = await connect(server);
      const result = await statuses(api, 200);
      await server.close();
      return result;
    };
    const [first, second] = [await run(), await run()];
    expect(first).toEqual(second);
    const count = (status: number): number => first.filter((s) => s === status).length;
    expect(count(500)).toBeGreaterThan(40);
    expect(count(500)).toBeLessThan(80);
    expect(count(503)).toBeGreaterThan(20);
    expect(count(200)).toBeGreaterThan(70);
  });

  it("fails exactly the next N matching calls with failNext, then recovers", async () => {
    emu = await startEmulator();
    const api = await connect(emu);
    emu.setFaults({ failNext: { count: 3, status: 503 } });
    expect(await statuses(api, 5)).toEqual([503, 503, 503, 200, 200]);
    emu.setFaults("failNext=2:429");
    const limited = await api.call("GET", "/policies/v2/rules");
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.json.error).toBe("Too Many Requests");
    expect(emu.counters()["GET /policies/v2/rules 503"]).toBe(3);
  });

  it("fails only the Nth matching call with failNth", async () => {
    emu = await startEmulator({ faults: "failNth=3:500,routes=rules" });
    const api = await connect(emu);
    expect(await statuses(api, 5)).toEqual([200, 200, 500, 200, 200]);
  });

  it("limits faults to a route group (writes), leaving reads and the token route alone", async () => {
    emu = await startEmulator({ faults: "500=1,routes=writes" });
    const api = await connect(emu);
    expect(await statuses(api, 3)).toEqual([200, 200, 200]);
    const write = await api.call("POST", "/policies/v2/rules", grantRule("never"));
    expect(write.status).toBe(500);
    expect(write.json).toEqual({ error: "Internal Server Error", requestId: expect.any(String) });
    expect(emu.state.rules).toHaveLength(3);
  });

  it("never injects 409 on reads, only on rule writes", async () => {
    emu = await startEmulator({ faults: "409=1" });
    const api = await connect(emu);
    expect(await statuses(api, 3)).toEqual([200, 200, 200]);
    const write = await api.call("DELETE", "/policies/v2/rules/700001");
    expect(write.status).toBe(409);
    expect(write.json.error).toContain("locked");
  });

  it("sends Retry-After on injected 429 unless retryAfter=off", async () => {
    emu = await startEmulator({ faults: "429=1,retryAfter=off" });
    const token = await fetchToken(emu);
    expect(token.status).toBe(429); // the token route is a vendor route: faults reach it too
    expect(token.json).toEqual({ message: "Too Many Requests" });
    emu.setFaults("429=1,retryAfter=off,routes=rules");
    const ok = await connect(emu);
    const reply = await ok.call("GET", "/policies/v2/rules");
    expect(reply.status).toBe(429);
    expect(reply.headers.get("retry-after")).toBeNull();
  });

  it("answers 502 with an HTML gateway page, as a load balancer would", async () => {
    emu = await startEmulator({ faults: "failNext=1:502,routes=rules" });
    const api = await connect(emu);
    const reply = await api.call("GET", "/policies/v2/rules");
    expect(reply.status).toBe(502);
    expect(reply.headers.get("content-type")).toBe("text/html");
    expect(reply.json).toBeUndefined();
  });

  it("destroys the socket on reset, and drops the reply of a completed write on lost", async () => {
    emu = await startEmulator({ faults: "failNext=1:reset,routes=rules" });
    const api = await connect(emu);
    await expect(api.call("GET", "/policies/v2/rules")).rejects.toThrow();
    emu.setFaults("failNext=1:lost,routes=writes");
    await expect(api.call("POST", "/policies/v2/rules", grantRule("lost-reply"))).rejects.toThrow();
    expect(emu.state.rules.map((rule) => rule.ruleName)).toContain("lost-reply");
    expect(emu.counters()).toMatchObject({
      "GET /policies/v2/rules reset": 1,
      "POST /policies/v2/rules lost": 1,
    });
  });

  it("never answers on timeout until the cap, then destroys the socket", async () => {
    emu = await startEmulator({ faults: "failNext=1:timeout,timeoutMs=200,routes=rules" });
    const api = await connect(emu);
    await expect(api.call("GET", "/policies/v2/rules")).rejects.toThrow();
    const aborted = fetch(`${emu.url}/policies/v2/rules`, {
      headers: { authorization: `Bearer ${api.token}` },
      signal: AbortSignal.timeout(100),
    });
    emu.setFaults("failNext=1:timeout,routes=rules");
    await expect(aborted).rejects.toThrow();
  });

  it("never applies faults to /_emulator/ admin routes, and sets faults through them", async () => {
    emu = await startEmulator({ faults: "500=1" });
    expect((await request(`${emu.url}/_emulator/counters`)).status).toBe(200);
    const set = await request(`${emu.url}/_emulator/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify("failNext=2:503"),
    });
    expect(set.status).toBe(200);
    expect(set.json.failNext).toEqual({ count: 2, outcome: 503 });
    const json = await request(`${emu.url}/_emulator/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ "503": 0 }),
    });
    expect(json.json.rates).toEqual([]);
    const bad = await request(`${emu.url}/_emulator/faults`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify("nonsense=1"),
    });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/unknown key/);
  });
});
