import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { adminPrefix, handleAdminRequest } from "./admin-routes.js";
import { defaultSeed } from "./default-seed.js";
import type { EmulatorSeed } from "./emulator-seed.js";
import { createEmulatorState, replaceEmulatorState, type EmulatorState } from "./emulator-state.js";
import type { EmulatorRuntime, ListKey } from "./emulator-runtime.js";
import { FaultInjector } from "./fault-injector.js";
import { parseFaultSpec, type FaultPlan, type FaultSpec } from "./fault-spec.js";
import { handleVendorRequest } from "./handle-vendor-request.js";
import { sendJson } from "./http-io.js";
import { createRateLimiter, type RateLimits } from "./rate-limiter.js";
import { RulesetLock } from "./ruleset-lock.js";
import { loadPersistedState, savePersistedState } from "./state-file.js";
import { TokenService } from "./token-service.js";
import { validateSeed } from "./validate-seed.js";
import { errorMessage } from "../core/model/error-message.js";

export interface EmulatorOptions {
  /** Default "127.0.0.1". */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Default: defaultSeed() (the example data). Validated; a bad seed throws InvalidInputError. */
  seed?: EmulatorSeed;
  /** Array key of the rules list: "results" (default, what live clients read), "result" (the spec), or both. */
  listKey?: ListKey;
  /** Initial faults, e.g. "429=0.1,500=0.05,latency=20-200ms" (see docs/emulator.md). */
  faults?: string | FaultSpec;
  /** Per-key limits; defaults 20 tokens/min, 2000 policies calls/min, 6000/h; `false` disables one. */
  limits?: RateLimits;
  /** Randomness for faults and latency (tests inject a seeded one). Default Math.random. */
  random?: () => number;
  /** Milliseconds clock for token expiry, rate windows and timestamps. Default Date.now. */
  clock?: () => number;
  /** Persist state JSON here on close, and load it on start when the file exists. */
  statePath?: string;
  /** Called with one line per request. Default: no logging. */
  log?: (line: string) => void;
  /** Extra time (ms) a rule write holds the ruleset lock, so overlapping writes get 409. Default 0. */
  writeDelayMs?: number;
  /** Token lifetime in seconds. Default 3600. */
  tokenTtlSeconds?: number;
}

export interface RunningEmulator {
  /** "http://127.0.0.1:PORT" */
  url: string;
  close(): Promise<void>;
  /** The live in-memory store (tests may inspect and mutate it). */
  state: EmulatorState;
  setFaults(spec: string | FaultSpec): void;
  /** "METHOD route status" → count, e.g. "GET /policies/v2/rules 200". */
  counters(): Record<string, number>;
  /** Back to the seed: state, rate-limit windows, counters and the initial faults. Tokens stay valid. */
  reset(): void;
  /** Invalidates every issued token (clients must fetch a new one). */
  revokeTokens(): void;
}

/** Starts the Cisco Secure Access emulator on a real HTTP server. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const clock = options.clock ?? Date.now;
  const seed = options.seed ? validateSeed(options.seed) : defaultSeed();
  const initialFaults = parseFaultSpec(options.faults);
  const persisted = options.statePath ? await loadPersistedState(options.statePath) : undefined;
  const runtime = createRuntime(options, seed, persisted ?? seed, clock, initialFaults);
  const reset = (): void => resetRuntime(runtime, initialFaults);
  const counters = (): Record<string, number> => Object.fromEntries(runtime.counters);
  const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
    void dispatch(runtime, { reset, counters }, req, res, options.log);
  });
  const url = await listen(server, options.host ?? "127.0.0.1", options.port ?? 0);
  return {
    url,
    state: runtime.state,
    setFaults: (spec) => runtime.faults.set(parseFaultSpec(spec)),
    counters,
    reset,
    revokeTokens: () => runtime.tokens.revokeAll(),
    close: async () => {
      await closeServer(server);
      if (options.statePath) await savePersistedState(options.statePath, runtime.state);
    },
  };
}

function createRuntime(
  options: EmulatorOptions,
  seed: EmulatorSeed,
  initial: EmulatorSeed,
  clock: () => number,
  faults: FaultPlan,
): EmulatorRuntime {
  const injector = new FaultInjector(options.random ?? Math.random);
  injector.set(faults);
  return {
    state: createEmulatorState(initial, new Date(clock()).toISOString()),
    seed,
    clock,
    tokens: new TokenService(clock, options.tokenTtlSeconds ?? 3600),
    limiter: createRateLimiter(options.limits),
    faults: injector,
    lock: new RulesetLock(),
    listKey: options.listKey ?? "results",
    writeDelayMs: options.writeDelayMs ?? 0,
    counters: new Map(),
  };
}

function resetRuntime(runtime: EmulatorRuntime, faults: FaultPlan): void {
  replaceEmulatorState(
    runtime.state,
    createEmulatorState(runtime.seed, new Date(runtime.clock()).toISOString()),
  );
  runtime.limiter.clear();
  runtime.counters.clear();
  runtime.faults.set(faults);
  runtime.lock.release();
}

async function dispatch(
  runtime: EmulatorRuntime,
  actions: { reset(): void; counters(): Record<string, number> },
  req: IncomingMessage,
  res: ServerResponse,
  log: ((line: string) => void) | undefined,
): Promise<void> {
  const started = performance.now();
  const url = new URL(req.url ?? "/", "http://emulator.invalid");
  try {
    if (url.pathname.startsWith(adminPrefix)) {
      await handleAdminRequest(runtime, actions, req, res, url.pathname);
      log?.(`${req.method} ${url.pathname} ${res.statusCode} (admin)`);
      return;
    }
    const outcome = await handleVendorRequest(runtime, req, res, url);
    const key = `${req.method} ${outcome.route} ${outcome.status}`;
    runtime.counters.set(key, (runtime.counters.get(key) ?? 0) + 1);
    const ms = Math.round(performance.now() - started);
    log?.(
      `${req.method} ${url.pathname}${url.search} ${outcome.status} ${ms}ms${outcome.fault ? " (injected fault)" : ""}`,
    );
  } catch (error) {
    if (!res.headersSent && !res.destroyed) sendJson(res, 500, { message: "emulator internal error" });
    log?.(`${req.method} ${url.pathname} emulator error: ${errorMessage(error)}`);
  }
}

function listen(server: Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address() as AddressInfo;
      const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
      resolve(`http://${shownHost}:${address.port}`);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
