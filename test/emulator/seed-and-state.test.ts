/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call -- JSON reply bodies are untyped */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/model/grantops-error.js";
import { defaultSeed } from "../../src/emulator/default-seed.js";
import { loadSeedFile } from "../../src/emulator/load-seed-file.js";
import { startEmulator } from "../../src/emulator/start-emulator.js";
import { listSeedProblems, validateSeed } from "../../src/emulator/validate-seed.js";
import { connect, grantRule, request } from "./emulator-test-client.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "grantops-emulator-"));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe("seed validation", () => {
  it("accepts the default seed (the example data)", () => {
    expect(listSeedProblems(defaultSeed())).toEqual([]);
    const seed = defaultSeed();
    expect(seed.rules.filter((rule) => rule.ruleIsDefault).map((rule) => rule.ruleName)).toEqual([
      "Default Internet Rule",
      "Default Private Access Rule",
    ]);
  });

  it("lists every schema problem at once", () => {
    const seed: any = defaultSeed();
    seed.organizationId = "acme";
    seed.apiKeys[0].scopes = ["everything"];
    seed.identities[0].type = "robot";
    seed.privateResources[0].name = "jira.example.com";
    seed.rules[0].ruleName = "bad:name";
    seed.rules[0].ruleAction = "warn";
    seed.extra = true;
    const problems = listSeedProblems(seed);
    for (const fragment of [
      "/organizationId",
      "/apiKeys/0/scopes/0",
      "/identities/0/type",
      "/privateResources/0/name",
      "/rules/0/ruleName",
      "/rules/0/ruleAction",
      "(extra)",
    ]) {
      expect(problems.some((problem) => problem.includes(fragment))).toBe(true);
    }
  });

  it("reports duplicate ids, names and keys", () => {
    const seed = defaultSeed();
    seed.rules.push({ ...seed.rules[0]!, ruleName: "Default Internet Rule" });
    seed.identities.push({ ...seed.identities[0]! });
    seed.privateResources.push({ ...seed.privateResources[0]!, resourceId: 1, name: "JIRA" });
    seed.nextRuleId = 5;
    expect(listSeedProblems(seed)).toEqual([
      expect.stringContaining("/identities/9/id duplicates /identities/0/id"),
      expect.stringContaining("/privateResources/6/name duplicates /privateResources/0/name"),
      expect.stringContaining("/rules/3/ruleId duplicates /rules/0/ruleId"),
      expect.stringContaining("/rules/3/ruleName duplicates /rules/1/ruleName"),
      expect.stringContaining("/nextRuleId"),
    ]);
  });

  it("throws one InvalidInputError naming the source and every problem", () => {
    expect(() => validateSeed({ organizationId: 1 }, "my-seed.json")).toThrow(InvalidInputError);
    expect(() => validateSeed({ organizationId: 1 }, "my-seed.json")).toThrow(
      /my-seed\.json.*4 problems[\s\S]*apiKeys[\s\S]*rules/,
    );
  });

  it("rejects a bad seed passed to startEmulator, and unreadable or non-JSON files", async () => {
    await expect(startEmulator({ seed: { ...defaultSeed(), apiKeys: [] } })).rejects.toThrow(
      InvalidInputError,
    );
    await expect(loadSeedFile(join(dir, "missing.json"))).rejects.toMatchObject({
      code: "EMULATOR_SEED_UNREADABLE",
    });
    await writeFile(join(dir, "broken.json"), "{");
    await expect(loadSeedFile(join(dir, "broken.json"))).rejects.toMatchObject({
      code: "EMULATOR_SEED_INVALID",
    });
  });

  it("expands short identity types and orders seeded rules with the defaults last", async () => {
    const seed = defaultSeed();
    seed.rules.reverse();
    const emu = await startEmulator({ seed });
    expect(emu.state.identities.find((i) => i.id === 1173600001)?.type).toEqual({
      id: 8,
      label: "AD Groups",
      type: "directory_group",
    });
    expect(emu.state.rules.map((rule) => [rule.ruleName, rule.rulePriority])).toEqual([
      ["Engineering wiki access", 1],
      ["Default Internet Rule", 2],
      ["Default Private Access Rule", 3],
    ]);
    await emu.close();
  });
});

describe("state", () => {
  it("persists to statePath on close and loads it on the next start; reset goes back to the seed", async () => {
    const statePath = join(dir, "state.json");
    const first = await startEmulator({ statePath });
    const api = await connect(first);
    const created = (await api.call("POST", "/policies/v2/rules", grantRule("persisted"))).json;
    await first.close();
    expect(JSON.parse(await readFile(statePath, "utf8")).nextRuleId).toBe(created.ruleId + 1);
    const second = await startEmulator({ statePath });
    const again = await connect(second);
    expect((await again.call("GET", `/policies/v2/rules/${created.ruleId}`)).json).toEqual(created);
    expect((await again.call("POST", "/policies/v2/rules", grantRule("next"))).json.ruleId).toBe(
      created.ruleId + 1,
    );
    second.reset();
    expect(second.state.rules.map((rule) => rule.ruleName)).not.toContain("persisted");
    await second.close();
  });

  it("serves admin state, counters and reset under /_emulator/ without auth", async () => {
    const emu = await startEmulator();
    const api = await connect(emu);
    await api.call("POST", "/policies/v2/rules", grantRule("temp"));
    const state = await request(`${emu.url}/_emulator/state`);
    expect(listSeedProblems(state.json)).toEqual([]);
    expect(state.json.rules.map((rule: { ruleName: string }) => rule.ruleName)).toContain("temp");
    expect((await request(`${emu.url}/_emulator/counters`)).json).toEqual({
      "POST /auth/v2/token 200": 1,
      "POST /policies/v2/rules 200": 1,
    });
    const reset = await request(`${emu.url}/_emulator/reset`, {
      method: "POST",
      headers: { "content-type": "application/json" },
    });
    expect(reset.json).toEqual({ ok: true });
    expect(emu.state.rules).toHaveLength(3);
    expect((await request(`${emu.url}/_emulator/counters`)).json).toEqual({});
    expect((await api.call("GET", "/policies/v2/rules")).status).toBe(200);
    expect((await request(`${emu.url}/_emulator/nothing`)).status).toBe(404);
    await emu.close();
  });
});
