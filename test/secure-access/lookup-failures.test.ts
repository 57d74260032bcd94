// The lookups' typed failures (the port's LookupFailure), against the emulator over real HTTP: "not found" and
// "ambiguous" are answers about a name or id; every other failure is not a LookupFailure, whatever its code.
import { afterEach, describe, expect, it } from "vitest";
import { demoApiKey, demoApiSecret } from "../../src/emulator/default-seed.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { isLookupFailure } from "../../src/core/model/secure-access-types.js";
import { noLimits } from "./emulator-fixtures.js";
import { makeTestClient } from "./make-test-client.js";

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function client() {
  emu = await startEmulator({ limits: noLimits });
  emu.state.identities.push({
    id: 42,
    label: "Erin Other (erin@example.com)",
    deleted: false,
    type: { id: 7, label: "AD Users", type: "directory_user" },
  });
  return makeTestClient(emu.url, { apiKey: demoApiKey, apiSecret: demoApiSecret }).client;
}

type Client = Awaited<ReturnType<typeof client>>;

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

describe("lookup failures", () => {
  it.each([
    ["an unknown label", (c: Client) => c.findIdentity("nobody@example.com"), "not-found"],
    ["an ambiguous label", (c: Client) => c.findIdentity("erin@example.com"), "ambiguous"],
    ["an unknown identity id (HTTP 404)", (c: Client) => c.getIdentity(999), "not-found"],
    ["an unknown resource name", (c: Client) => c.findPrivateResource("Nowhere"), "not-found"],
    ["an unknown resource id (HTTP 404)", (c: Client) => c.getPrivateResource(999), "not-found"],
  ])("%s is a LookupFailure (%s)", async (_name, lookup, kind) => {
    const error = await failureOf(lookup(await client()));
    expect(isLookupFailure(error)).toBe(true);
    expect(error).toMatchObject({ lookupFailure: kind });
  });

  it("a lookup the vendor cannot answer (HTTP 500) is no LookupFailure", async () => {
    const c = await client();
    emu!.setFaults("failNext=20:500,routes=reports");
    const error = await failureOf(c.getIdentity(1173502975));
    expect(error).toMatchObject({ code: "VENDOR_HTTP_500" });
    expect(isLookupFailure(error)).toBe(false);
  });

  it("a code that merely ends in NOT_FOUND is no LookupFailure", () => {
    const error = Object.assign(new Error("no such org"), { code: "ORG_NOT_FOUND", status: 404 });
    expect(isLookupFailure(error)).toBe(false);
  });
});
