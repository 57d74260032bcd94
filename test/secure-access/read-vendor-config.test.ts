import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/model/grantops-error.js";
import { readVendorConfig } from "../../src/secure-access/read-vendor-config.js";

const org = { alias: "acme", credentials: "ACME" };

describe("readVendorConfig", () => {
  const alias = { alias: "ACME", credentials: "GRANTOPS_ACME_API_KEY / GRANTOPS_ACME_API_SECRET" };
  const generic = { alias: null, credentials: "GRANTOPS_API_KEY / GRANTOPS_API_SECRET" };
  it.each([
    {
      name: "per-credentials key and secret, default commercial URL",
      env: { GRANTOPS_ACME_API_KEY: "k", GRANTOPS_ACME_API_SECRET: "s" },
      org,
      want: { baseUrl: "https://api.sse.cisco.com", apiKey: "k", apiSecret: "s" },
      source: { ...alias, url: "default" },
    },
    {
      name: "generic set",
      env: { GRANTOPS_API_KEY: "gk", GRANTOPS_API_SECRET: "gs", GRANTOPS_API_URL: "http://127.0.0.1:9/" },
      org,
      want: { baseUrl: "http://127.0.0.1:9", apiKey: "gk", apiSecret: "gs" },
      source: { ...generic, url: "GRANTOPS_API_URL" },
    },
    {
      name: "the alias's URL beats the policy's apiBaseUrl",
      env: {
        GRANTOPS_ACME_API_URL: "https://a.example",
        GRANTOPS_ACME_API_KEY: "k",
        GRANTOPS_ACME_API_SECRET: "s",
      },
      org: { ...org, apiBaseUrl: "https://api.secureaccessfed.cisco.com" },
      want: { baseUrl: "https://a.example", apiKey: "k", apiSecret: "s" },
      source: { ...alias, url: "GRANTOPS_ACME_API_URL" },
    },
    {
      name: "org apiBaseUrl (government cloud) beats GRANTOPS_API_URL",
      env: { GRANTOPS_API_URL: "https://c.example", GRANTOPS_API_KEY: "k", GRANTOPS_API_SECRET: "s" },
      org: { ...org, apiBaseUrl: "https://api.secureaccessfed.cisco.com" },
      want: { baseUrl: "https://api.secureaccessfed.cisco.com", apiKey: "k", apiSecret: "s" },
      source: { ...generic, url: "policy apiBaseUrl" },
    },
    {
      name: "_FILE variants read through readFile (trimmed)",
      env: {
        GRANTOPS_ACME_API_KEY_FILE: "/run/secrets/key",
        GRANTOPS_ACME_API_SECRET_FILE: "/s",
        GRANTOPS_API_KEY: "global",
      },
      org,
      want: { baseUrl: "https://api.sse.cisco.com", apiKey: "from-/run/secrets/key", apiSecret: "from-/s" },
      source: { ...alias, url: "default" },
    },
    {
      name: "the credentials alias names the variables (dashes become underscores), not the organization alias",
      env: {
        GRANTOPS_ACME_PROD_API_KEY: "k",
        GRANTOPS_ACME_PROD_API_SECRET: "s",
        GRANTOPS_ACME_PROD_API_URL: "https://prod",
        GRANTOPS_ACME_EU_API_URL: "https://eu",
      },
      org: { alias: "acme-eu", credentials: "acme-prod" },
      want: { baseUrl: "https://prod", apiKey: "k", apiSecret: "s" },
      source: {
        alias: "ACME_PROD",
        credentials: "GRANTOPS_ACME_PROD_API_KEY / GRANTOPS_ACME_PROD_API_SECRET",
        url: "GRANTOPS_ACME_PROD_API_URL",
      },
    },
  ])("$name", ({ env, org: o, want, source }) => {
    expect(readVendorConfig(env, o, (path) => `from-${path}\n`)).toEqual({ ...want, source });
  });

  it("never sends an alias's key to the generic GRANTOPS_API_URL, nor mixes an alias key with the generic secret", () => {
    const env = {
      GRANTOPS_ACME_API_KEY: "k",
      GRANTOPS_API_SECRET: "gs",
      GRANTOPS_API_URL: "http://127.0.0.1:9",
    };
    expect(() => readVendorConfig(env, org)).toThrow(
      /set GRANTOPS_ACME_API_SECRET \(or GRANTOPS_ACME_API_SECRET_FILE\)/,
    );
    const both = { ...env, GRANTOPS_ACME_API_SECRET: "s" };
    expect(readVendorConfig(both, org)).toMatchObject({
      baseUrl: "https://api.sse.cisco.com",
      apiKey: "k",
      apiSecret: "s",
    });
  });

  it.each([
    "https://evil.example",
    "http://api.sse.cisco.com",
    "https://user:pw@api.sse.cisco.com",
    "https://api.sse.cisco.com.evil.example",
  ])("refuses a policy apiBaseUrl %s that is neither a Secure Access cloud nor loopback", (apiBaseUrl) => {
    const env = { GRANTOPS_ACME_API_KEY: "k", GRANTOPS_ACME_API_SECRET: "s" };
    expect(() => readVendorConfig(env, { ...org, apiBaseUrl })).toThrow(
      /set GRANTOPS_ACME_API_URL in the environment/,
    );
  });

  it.each(["http://127.0.0.1:8443", "http://localhost:1", "https://api.secureaccessfed.cisco.com/"])(
    "accepts the policy apiBaseUrl %s",
    (apiBaseUrl) => {
      const env = { GRANTOPS_ACME_API_KEY: "k", GRANTOPS_ACME_API_SECRET: "s" };
      expect(readVendorConfig(env, { ...org, apiBaseUrl }).baseUrl).toBe(apiBaseUrl.replace(/\/$/, ""));
    },
  );

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
