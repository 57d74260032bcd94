// The vendor-side truth of a chaos run: every rule that ever existed in the emulator (when it appeared, when
// it went, who made it), every write request by route and status, and every injected fault. It looks at the
// emulator's store after each request (the emulator's `log` hook runs right after the handler, before any other
// request is handled), and on a timer, so no create or delete is missed.
import type { EmulatorState } from "../src/emulator/emulator-state.js";
import type { Rule } from "../src/core/model/secure-access-types.js";

export interface RuleRecord {
  ruleId: number;
  ruleName: string;
  ruleDescription: string;
  modifiedBy: string;
  /** Date.now() when first seen in the store (or at attach, for seed rules). */
  seenAt: number;
  /** Date.now() when first missing from the store; undefined while it exists. */
  goneAt?: number;
  /** JSON of the rule without the priority when first seen (to compare foreign rules later). */
  firstJson: string;
}

export interface WriteRequest {
  method: string;
  ruleId: number | null;
  status: string;
  fault: boolean;
  at: number;
}

export interface RuleHistory {
  attach(state: EmulatorState): void;
  detach(): void;
  /** The emulator's per-request log line. */
  observe(line: string): void;
  /** Looks at the store now. */
  scan(): void;
  readonly rules: Map<number, RuleRecord>;
  readonly writes: WriteRequest[];
  /** Injected faults by outcome ("500", "429", "lost", ...). */
  readonly faults: Map<string, number>;
  /** Requests answered, injected faults included. */
  requests(): number;
}

const linePattern = /^(GET|POST|PUT|DELETE|PATCH) (\S+) (\S+) \d+ms( \(injected fault\))?$/;
const rulePath = /^\/policies\/v2\/rules(?:\/(\d+))?(?:\?.*)?$/;

export function ruleJson(rule: Rule): string {
  const { rulePriority: _priority, ...rest } = rule;
  return JSON.stringify(rest);
}

export function createRuleHistory(): RuleHistory {
  const rules = new Map<number, RuleRecord>();
  const writes: WriteRequest[] = [];
  const faults = new Map<string, number>();
  let state: EmulatorState | null = null;
  let timer: NodeJS.Timeout | null = null;
  let requestCount = 0;

  const scan = (): void => {
    if (state === null) return;
    const now = Date.now();
    const present = new Set<number>();
    for (const rule of state.rules) {
      present.add(rule.ruleId);
      if (rules.has(rule.ruleId)) continue;
      rules.set(rule.ruleId, {
        ruleId: rule.ruleId,
        ruleName: rule.ruleName,
        ruleDescription: rule.ruleDescription ?? "",
        modifiedBy: rule.modifiedBy ?? "",
        seenAt: now,
        firstJson: ruleJson(rule),
      });
    }
    for (const record of rules.values()) {
      if (record.goneAt === undefined && !present.has(record.ruleId)) record.goneAt = now;
    }
  };

  return {
    rules,
    writes,
    faults,
    requests: () => requestCount,
    scan,
    attach(next) {
      state = next;
      scan();
      timer = setInterval(scan, 50);
      timer.unref();
    },
    detach() {
      if (timer !== null) clearInterval(timer);
      timer = null;
    },
    observe(line) {
      scan();
      const match = linePattern.exec(line);
      if (match === null) return;
      requestCount++;
      const [, method = "", path = "", status = "", fault] = match;
      if (fault !== undefined) faults.set(status, (faults.get(status) ?? 0) + 1);
      const rule = rulePath.exec(path);
      if (rule === null || method === "GET") return;
      const id = rule[1] === undefined ? null : Number(rule[1]);
      writes.push({ method, ruleId: id, status, fault: fault !== undefined, at: Date.now() });
    },
  };
}
