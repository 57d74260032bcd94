/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument -- JSON reply bodies are untyped */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultSeed } from "../../src/emulator/default-seed.js";
import { runCli, type CliRun } from "../helpers/run-cli.js";
import { demoBasic, request } from "./emulator-test-client.js";

/** Runs `grantops emulator ...` in-process; `whileUp` gets the URL from the ready line, then the command is stopped. */
async function runEmulatorCommand(
  args: string[],
  whileUp: (url: string) => Promise<void>,
): Promise<CliRun & { out: string; err: string }> {
  const controller = new AbortController();
  let out = "";
  let err = "";
  let ready!: (url: string) => void;
  const readyUrl = new Promise<string>((resolve) => (ready = resolve));
  const run = runCli(["emulator", ...args], {
    signal: controller.signal,
    stdout: (text) => {
      out += text;
      const match = /^emulator listening on (http:\/\/\S+)\n$/.exec(out);
      if (match?.[1]) ready(match[1]);
    },
    stderr: (text) => {
      err += text;
    },
  });
  const url = await Promise.race([readyUrl, run.then(() => "")]);
  try {
    if (url) await whileUp(url);
  } finally {
    controller.abort();
  }
  return { ...(await run), out, err };
}

describe("grantops emulator", () => {
  it("prints exactly one ready line, the demo credentials on stderr, logs requests, and exits 0 on abort", async () => {
    const result = await runEmulatorCommand(["--port", "0", "--list-key", "both"], async (url) => {
      const token = await request(`${url}/auth/v2/token`, {
        method: "POST",
        headers: { authorization: demoBasic, "content-type": "application/x-www-form-urlencoded" },
        body: "grant_type=client_credentials",
      });
      expect(token.status).toBe(200);
      const rules = await request(`${url}/policies/v2/rules`, {
        headers: { authorization: `Bearer ${token.json.access_token}` },
      });
      expect(Object.keys(rules.json).sort()).toEqual(["count", "result", "results"]);
    });
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^emulator listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    expect(result.err).toContain("grantops-demo-key");
    expect(result.err).toContain("grantops-demo-secret");
    expect(result.err).toMatch(/POST \/auth\/v2\/token 200/);
    expect(result.err).toMatch(/GET \/policies\/v2\/rules 200/);
  });

  it("loads --seed, applies --faults, writes --state on exit and does not print demo credentials", async () => {
    const dir = await mkdtemp(join(tmpdir(), "grantops-emulator-cli-"));
    try {
      const seed = {
        ...defaultSeed(),
        apiKeys: [{ key: "k1", secret: "s1", scopes: ["policies.rules:write"] }],
      };
      await writeFile(join(dir, "seed.json"), JSON.stringify(seed));
      const statePath = join(dir, "state.json");
      const result = await runEmulatorCommand(
        [
          "--seed",
          join(dir, "seed.json"),
          "--state",
          statePath,
          "--faults",
          "failNext=1:503,routes=rules",
          "--no-rate-limits",
        ],
        async (url) => {
          const basic = `Basic ${Buffer.from("k1:s1").toString("base64")}`;
          const token = await request(`${url}/auth/v2/token`, {
            method: "POST",
            headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
            body: "grant_type=client_credentials",
          });
          const headers = { authorization: `Bearer ${token.json.access_token}` };
          expect((await request(`${url}/policies/v2/rules`, { headers })).status).toBe(503);
          expect((await request(`${url}/policies/v2/rules`, { headers })).status).toBe(200);
        },
      );
      expect(result.code).toBe(0);
      expect(result.err).not.toContain("grantops-demo-secret");
      expect(JSON.parse(await readFile(statePath, "utf8")).apiKeys[0].key).toBe("k1");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [["--seed", "/nonexistent/seed.json"], /cannot read seed file/],
    [["--faults", "bogus=1"], /invalid fault spec/],
    [["--list-key", "items"], /--list-key/],
    [["--port", "http"], /--port/],
  ])("exits 4 on invalid input %j", async (args, message) => {
    const result = await runCli(["emulator", ...args]);
    expect(result.code).toBe(4);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
  });

  it("exits 4 listing every problem of a bad seed file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "grantops-emulator-cli-"));
    try {
      await writeFile(
        join(dir, "seed.json"),
        JSON.stringify({ organizationId: -1, apiKeys: [], identities: [], privateResources: [], rules: [] }),
      );
      const result = await runCli(["emulator", "--seed", join(dir, "seed.json")]);
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(/2 problems[\s\S]*\/organizationId[\s\S]*\/apiKeys/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
