// A web page in a developer's browser must not drive the emulator's admin routes (state holds API secrets):
// cross-origin text/plain POSTs and foreign Host headers (DNS rebinding) are refused.
import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

interface RawReply {
  status: number;
  body: string;
}

/** A raw HTTP/1.1 request to the emulator on 127.0.0.1 with exactly these headers (fetch cannot set Host). */
function raw(path: string, method: string, headers: Record<string, string>, body = ""): Promise<RawReply> {
  const { port } = new URL(emu?.url ?? "");
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port: Number(port),
        path,
        method,
        setHost: false,
        headers: { ...headers, "content-length": `${Buffer.byteLength(body)}` },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("emulator admin routes: browser-driven requests", () => {
  it("refuses a text/plain POST (415) and leaves the faults unchanged", async () => {
    emu = await startEmulator();
    const host = new URL(emu.url).host;
    const reply = await raw("/_emulator/faults", "POST", { host, "content-type": "text/plain" }, "500=1");
    expect(reply.status).toBe(415);
    expect(emu.state.rules.length).toBeGreaterThan(0);
    const faults = await raw("/_emulator/faults", "GET", { host });
    expect(JSON.parse(faults.body)).not.toMatchObject({ rates: [{ outcome: 500 }] });
    const reset = await raw("/_emulator/reset", "POST", {
      host,
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(reset.status).toBe(415);
  });

  it.each(["evil.example", "evil.example:80", "127.0.0.1.evil.example", "localhost.evil.example"])(
    "refuses Host %j on every admin route (403), state included",
    async (host) => {
      emu = await startEmulator();
      const state = await raw("/_emulator/state", "GET", { host });
      expect(state.status).toBe(403);
      expect(state.body).not.toContain("secret");
      const post = await raw("/_emulator/reset", "POST", { host, "content-type": "application/json" });
      expect(post.status).toBe(403);
    },
  );

  it("answers loopback hosts with the right port, and JSON POSTs", async () => {
    emu = await startEmulator();
    const { port } = new URL(emu.url);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, "localhost"]) {
      expect((await raw("/_emulator/counters", "GET", { host })).status).toBe(200);
    }
    expect((await raw("/_emulator/counters", "GET", { host: `localhost:${Number(port) + 1}` })).status).toBe(
      403,
    );
    const set = await raw(
      "/_emulator/faults",
      "POST",
      { host: `127.0.0.1:${port}`, "content-type": "application/json" },
      JSON.stringify("failNext=1:503"),
    );
    expect(set.status).toBe(200);
    expect(JSON.parse(set.body)).toMatchObject({ failNext: { count: 1, outcome: 503 } });
  });
});
