import type { IncomingMessage } from "node:http";
import type { EmulatorSeed, SeedApiKey } from "./emulator-seed.js";
import type { EmulatorState } from "./emulator-state.js";
import type { FaultInjector } from "./fault-injector.js";
import type { RateLimiter } from "./rate-limiter.js";
import type { RulesetLock } from "./ruleset-lock.js";
import type { TokenService } from "./token-service.js";

export type ListKey = "results" | "result" | "both";

/** Everything the request handlers share for one running emulator. */
export interface EmulatorRuntime {
  state: EmulatorState;
  seed: EmulatorSeed;
  clock: () => number;
  tokens: TokenService;
  limiter: RateLimiter;
  faults: FaultInjector;
  lock: RulesetLock;
  listKey: ListKey;
  /** Extra time a rule write holds the ruleset lock (ms), so overlapping writes are observable. */
  writeDelayMs: number;
  counters: Map<string, number>;
}

/** One request as a route handler sees it. */
export interface RouteRequest {
  req: IncomingMessage;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The caller's API key (set for every route except the token route). */
  apiKey: SeedApiKey | undefined;
  runtime: EmulatorRuntime;
}

export interface RouteReply {
  status: number;
  /** undefined → empty body. */
  body?: unknown;
  headers?: Record<string, string>;
}
