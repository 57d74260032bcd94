import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/model/grantops-error.js";
import { readVendorConfig } from "../../src/secure-access/read-vendor-config.js";

const org = { alias: "acme", credentials: "ACME" };

describe("readVendorConfig", () => {
  it.each([
    {
      name: "per-credentials key and secret, default commercial URL",
      env: { GRANTOPS_ACME_API_KEY: "k", GRANTOPS_ACME_API_SECRET: "s" },
      org,
      want: { baseUrl: "https://api.sse.cisco.com", apiKey: "k", apiSecret: "s" },
    },
    {
      name: "global fallbacks",
      env: { GRANTOPS_API_KEY: "gk", GRANTOPS_API_SECRET: "gs", GRANTOPS_API_URL: "http://127.0.0.1:9/" },
      org,
      want: { baseUrl: "http://127.0.0.1:9", apiKey: "gk", apiSecret: "gs" },
    },
    {
      name: "per-org URL beats org apiBaseUrl beats GRANTOPS_API_URL",
      env: {
        GRANTOPS_ACME_API_URL: "https://a.example",
        GRANTOPS_API_URL: "https://c.example",
        GRANTOPS_API_KEY: "k",
        GRANTOPS_API_SECRET: "s",
      },
      org: { ...org, apiBaseUrl: "https://b.example" },
      want: { baseUrl: "https://a.example", apiKey: "k", apiSecret: "s" },
    },
    {
      name: "org apiBaseUrl (government cloud) beats GRANTOPS_API_URL",
      env: { GRANTOPS_API_URL: "https://c.example", GRANTOPS_API_KEY: "k", GRANTOPS_API_SECRET: "s" },
      org: { ...org, apiBaseUrl: "https://api.secureaccessfed.cisco.com" },
      want: { baseUrl: "https://api.secureaccessfed.cisco.com", apiKey: "k", apiSecret: "s" },
    },
    {
      name: "per-credentials beats global; _FILE variants read through readFile (trimmed)",
      env: {
        GRANTOPS_ACME_API_KEY_FILE: "/run/secrets/key",
        GRANTOPS_API_KEY: "global",
        GRANTOPS_API_SECRET_FILE: "/s",
      },
      org,
      want: { baseUrl: "https://api.sse.cisco.com", apiKey: "from-/run/secrets/key", apiSecret: "from-/s" },
    },
    {
      name: "aliases with dashes become underscores",
      env: {
        GRANTOPS_ACME_PROD_API_KEY: "k",
        GRANTOPS_ACME_PROD_API_SECRET: "s",
        GRANTOPS_ACME_EU_API_URL: "https://eu",
      },
      org: { alias: "acme-eu", credentials: "acme-prod" },
      want: { baseUrl: "https://eu", apiKey: "k", apiSecret: "s" },
    },
  ])("$name", ({ env, org: o, want }) => {
    expect(readVendorConfig(env, o, (path) => `from-${path}\n`)).toEqual(want);
  });

  it("reports every missing variable at once", () => {
    const error = (() => {
      try {
        readVendorConfig({ GRANTOPS_API_URL: "not a url" }, org);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidInputError);
    const message = (error as Error).message;
    for (const name of [
      "GRANTOPS_ACME_API_KEY",
      "GRANTOPS_ACME_API_SECRET",
      "GRANTOPS_API_KEY",
      "GRANTOPS_API_SECRET",
      "GRANTOPS_ACME_API_KEY_FILE",
    ]) {
      expect(message).toContain(name);
    }
    expect(message).toContain("not an http(s) URL");
    expect(error).toMatchObject({ code: "VENDOR_CONFIG_MISSING", exitCode: 4 });
  });

  it("an unreadable or empty _FILE is a problem, and the value is never in the message", () => {
    const env = { GRANTOPS_ACME_API_KEY_FILE: "/missing", GRANTOPS_ACME_API_SECRET_FILE: "/empty" };
    const readFile = (path: string) => {
      if (path === "/empty") return "  \n";
      throw new Error("ENOENT top-secret-content");
    };
    expect(() => readVendorConfig(env, org, readFile)).toThrow(
      /API_KEY_FILE \(\/missing\) cannot be read.*API_SECRET_FILE \(\/empty\) is empty/,
    );
    expect(() => readVendorConfig(env, org, readFile)).not.toThrow(/top-secret/);
  });
});
