// A world for end-to-end tests and the serve benchmark: the Secure Access emulator on a real port, a grants
// repository published as a BARE remote (clone URL file://...) with pushes from a working clone, signed webhook
// deliveries built from @octokit/webhooks-examples, and `grantops serve` run in-process through the CLI.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Webhooks } from "@octokit/webhooks";
import { createRequire } from "node:module";
import { runProgram } from "../../src/cli/program.js";
import { commands } from "../../src/cli/commands.js";
import { demoApiKey, demoApiSecret } from "../../src/emulator/default-seed.js";
import {
  startEmulator,
  type EmulatorOptions,
  type RunningEmulator,
} from "../../src/emulator/start-emulator.js";
import { parseMarker } from "../../src/core/rule/rule-marker.js";
import type { Rule } from "../../src/core/model/secure-access-types.js";
import { createGitFixture, type GitFixture } from "../helpers/git-fixture.js";

export const WEBHOOK_SECRET = "serve-e2e-webhook-secret-0123456789";
const packageRoot = fileURLToPath(new URL("../../", import.meta.url));
const definitions = createRequire(import.meta.url)("@octokit/webhooks-examples") as Array<{
  name: string;
  examples: Array<Record<string, unknown>>;
}>;

export interface ServeWorld {
  emulator: RunningEmulator;
  /** The working clone pushes go from. */
  work: GitFixture;
  /** The bare remote serve clones and fetches. */
  bare: string;
  url: string;
  home: string;
  env: Record<string, string>;
  /** Writes (text) or deletes (null) files, commits them now, pushes main to the bare remote; returns the sha. */
  push(files: Record<string, string | null>, message?: string): Promise<string>;
  /** Managed rules in the emulator, by grant id (from the marker). */
  managed(): Map<string, Rule>;
  close(): Promise<void>;
}

export interface RunningServe {
  url: string;
  stdout: () => string;
  stderr: () => string;
  /** Aborts the serve command (like SIGTERM) and resolves with its exit code. */
  stop(): Promise<number>;
}

/** A valid grant file. */
export function grantYaml(users: string[], resources: string[], duration: string): string {
  return [
    "version: 1",
    `users: [${users.join(", ")}]`,
    `resources: [${resources.join(", ")}]`,
    'reason: "E2E-7: serve end-to-end test"',
    `duration: ${duration}`,
    "",
  ].join("\n");
}

export async function createServeWorld(options: { emulator?: EmulatorOptions } = {}): Promise<ServeWorld> {
  const emulator = await startEmulator(options.emulator ?? {});
  const work = await createGitFixture();
  await work.write("policy.yaml", await readFile(join(packageRoot, "policy.yaml"), "utf8"));
  await work.commit("policy", new Date().toISOString());
  const bare = await work.bareClone();
  const home = await work.tempDir();
  return {
    emulator,
    work,
    bare,
    url: `file://${bare}`,
    home,
    env: {
      GRANTOPS_ACME_API_KEY: demoApiKey,
      GRANTOPS_ACME_API_SECRET: demoApiSecret,
      GRANTOPS_ACME_API_URL: emulator.url,
      GRANTOPS_WEBHOOK_SECRET: WEBHOOK_SECRET,
      // E2E_LOG=info shows the server's logs (stderr) when debugging a test.
      GRANTOPS_LOG_LEVEL: process.env["E2E_LOG"] ?? "silent",
    },
    async push(files, message = "change grants") {
      for (const [path, text] of Object.entries(files)) {
        if (text === null) await work.remove(path);
        else await work.write(path, text);
      }
      const sha = await work.commit(message, new Date().toISOString());
      await work.push(bare);
      return sha;
    },
    managed() {
      const rules = new Map<string, Rule>();
      for (const rule of emulator.state.rules) {
        const marker = parseMarker(rule.ruleDescription);
        if (marker !== null && rule.ruleName.startsWith("grantops-")) rules.set(marker.grant, rule);
      }
      return rules;
    },
    async close() {
      await emulator.close();
      await work.cleanup();
    },
  };
}

/** Runs `grantops serve` in-process through the CLI; resolves once it printed its listening line. */
export async function startServeCli(world: ServeWorld, args: string[]): Promise<RunningServe> {
  const controller = new AbortController();
  let stdout = "";
  let stderr = "";
  let onListening: (url: string) => void = () => undefined;
  const listening = new Promise<string>((resolve) => (onListening = resolve));
  const exit = runProgram(
    {
      env: world.env,
      cwd: world.home,
      stdout: (text) => {
        stdout += text;
        const match = /^listening on (\S+)$/m.exec(stdout);
        if (match?.[1] !== undefined) onListening(match[1]);
      },
      stderr: (text) => {
        stderr += text;
      },
      clock: () => new Date(),
      fetch: globalThis.fetch,
      signal: controller.signal,
    },
    ["node", "grantops", "serve", "--repo", world.url, "--port", "0", ...args],
    commands,
  );
  const url = await Promise.race([
    listening,
    exit.then((code) => {
      throw new Error(`serve exited ${code} before listening: ${stderr}`);
    }),
  ]);
  return {
    url,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop() {
      controller.abort();
      return exit;
    },
  };
}

/** A real example payload of an event (deep copy), with values set at dotted paths ("pull_request.head.sha"). */
export function examplePayload(
  name: string,
  match: (payload: Record<string, unknown>) => boolean,
  values: Record<string, unknown>,
): Record<string, unknown> {
  const found = definitions.find((d) => d.name === name)?.examples.find(match);
  if (!found) throw new Error(`no example for ${name}`);
  const payload = structuredClone(found);
  for (const [path, value] of Object.entries(values)) {
    const keys = path.split(".");
    let node: Record<string, unknown> = payload;
    for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
    node[keys.at(-1) ?? ""] = value;
  }
  return payload;
}

/** The push webhook of a commit on main, from GitHub's example push payload. */
export function pushPayload(after: string, fullName = "acme/grants"): Record<string, unknown> {
  return examplePayload("push", () => true, {
    ref: "refs/heads/main",
    after,
    "repository.full_name": fullName,
    "repository.default_branch": "main",
  });
}

let deliveries = 0;

/** POSTs a payload to /webhook, signed for real with the secret. */
export async function deliver(
  url: string,
  event: string,
  payload: unknown,
  secret = WEBHOOK_SECRET,
): Promise<number> {
  const body = JSON.stringify(payload);
  const response = await fetch(`${url}/webhook`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": `serve-e2e-${process.pid}-${++deliveries}`,
      "x-hub-signature-256": await new Webhooks({ secret }).sign(body),
    },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

/**
 * How long a serve e2e test waits for an event it is sure to see (a rule created, a run recorded): generous, so a
 * machine at a load average of 15 on 2 cores still passes; a real failure still fails, only later.
 */
export const EVENT_BOUND_MS = 60_000;
/** A vitest timeout for a test that waits for a short grant's expiry and then for a few events. */
export const SLOW_TEST_MS = 180_000;
/**
 * The life of the short grants of the expiry tests: longer than push -> rule at that load (about 9 s), so the
 * rule is created before its grant expires (else the create is skipped as expired and nothing is observed).
 */
export const SHORT_GRANT_SECONDS = 20;

/** Polls until `check` holds; resolves with the time it first held (ms since epoch). */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
  what = "condition",
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return Date.now();
    if (Date.now() > deadline) throw new Error(`${what}: not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
