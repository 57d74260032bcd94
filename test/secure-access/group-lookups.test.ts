// Directory groups through the client against the emulator's default seed: findGroup asks the reporting API for
// identitytypes=directory_group only, matches the label or the part in parentheses, and answers GROUP_NOT_FOUND
// (a LookupFailure) for a user's label; resolveVersions turns group names and ids into identity ids, and makes
// an unknown group, a group written under users: and a user written under groups: problems of the grant.
import { afterEach, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { demoApiKey, demoApiSecret } from "../../src/emulator/default-seed.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { isLookupFailure } from "../../src/core/model/secure-access-types.js";
import { validateRepository } from "../../src/grants/validate-repository.js";
import { resolveVersions } from "../../src/reconcile/resolve-versions.js";
import type { GrantVersion } from "../../src/core/model/types.js";
import { noLimits } from "./emulator-fixtures.js";
import { makeTestClient } from "./make-test-client.js";

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function client(options: { identityBulkThreshold?: number } = {}) {
  emu = await startEmulator({ limits: noLimits });
  return makeTestClient(emu.url, { apiKey: demoApiKey, apiSecret: demoApiSecret, ...options });
}

const policy = readFileSync("policy.yaml", "utf8");

function load(text: string): GrantVersion[] {
  const encode = (s: string) => new TextEncoder().encode(s);
  const loaded = validateRepository(
    new Map([
      ["policy.yaml", encode(policy)],
      ["grants/ops/oncall.yaml", encode(text)],
    ]),
    { now: new Date("2026-11-26T09:00:00Z") },
  );
  expect(loaded.problems.filter((p) => p.severity === "error")).toEqual([]);
  return loaded.grants.map((grant) => ({
    grant,
    commit: "c".repeat(40),
    landedAt: "2026-11-26T10:00:00Z",
    blob: "b".repeat(40),
  }));
}

describe("findGroup against the emulator", () => {
  it.each([
    ["oncall-sre", 1173600002],
    ["ONCALL-SRE", 1173600002],
    ["example.net\\dba", 1173600003],
    ["Engineering (example.net\\Engineering)", 1173600001],
  ])("finds %s", async (name, id) => {
    const { client: api } = await client();
    await expect(api.findGroup(name)).resolves.toMatchObject({ id, type: { type: "directory_group" } });
  });

  it("searches directory groups only, so a user's label is not a group", async () => {
    const { client: api } = await client();
    const failure = await api.findGroup("alice@example.com").catch((error: unknown) => error);
    expect(isLookupFailure(failure)).toBe(true);
    expect(failure).toMatchObject({ code: "GROUP_NOT_FOUND", lookupFailure: "not-found" });
    await expect(api.findIdentity("oncall-sre")).rejects.toMatchObject({ code: "IDENTITY_NOT_FOUND" });
  });

  it("answers the same from the bulk listing of groups", async () => {
    const { client: api } = await client({ identityBulkThreshold: 0 });
    await api.findGroup("oncall-sre");
    await expect(api.findGroup("example.net\\dba")).resolves.toMatchObject({ id: 1173600003 });
    await expect(api.findGroup("bob@example.com")).rejects.toMatchObject({ code: "GROUP_NOT_FOUND" });
  });
});

describe("resolveVersions with groups", () => {
  const file = (lines: string) =>
    `version: 1\n${lines}resources: [Grafana]\nreason: "INC-7: on-call needs the dashboards"\nduration: 1h\n`;

  it("resolves group names and ids to identity ids, with their labels for display", async () => {
    const { client: api } = await client();
    const [resolved] = await resolveVersions(
      load(file("users: [alice@example.com]\ngroups: [oncall-sre, {id: 1173600003}]\n")),
      api,
    );
    expect(resolved?.problems).toEqual([]);
    expect(resolved?.resolvedGroups).toEqual([
      { identityId: 1173600002, label: "oncall-sre", display: "oncall-sre" },
      {
        identityId: 1173600003,
        label: "Database Admins (example.net\\dba)",
        display: "Database Admins (example.net\\dba)",
      },
    ]);
  });

  it.each([
    ["an unknown group", "groups: [oncall-sre, no-such-team]\n", "group-not-found", 2, 22],
    ["a group written under users: by id", "users: [{id: 1173600002}]\n", "user-is-group", 2, 9],
    ["a user written under groups: by id", "groups: [{id: 1173502975}]\n", "group-not-a-group", 2, 10],
    ["a user's label under groups:", "groups: [alice@example.com]\n", "group-not-found", 2, 10],
  ])("makes %s a problem of the grant at its item", async (_title, lines, code, line, column) => {
    const { client: api } = await client();
    const [resolved] = await resolveVersions(load(file(lines)), api);
    expect(resolved?.problems).toEqual([
      expect.objectContaining({ code, file: "grants/ops/oncall.yaml", line, column }),
    ]);
  });
});
