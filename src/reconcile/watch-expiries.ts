import { parseInstant } from "../core/time/instant.js";
import type { DeleteStep, KeptRule } from "../core/model/types.js";

export interface ExpiryWatch {
  /** Runs the deletes of every kept rule whose expiry has passed now; resolves when they are done. */
  due(): Promise<void>;
  /** Stops the timer and waits for the deletes under way. */
  stop(): Promise<void>;
}

/** How often, at most, the watch looks at the clock between two expiries (an injected clock may jump). */
const MAX_SLEEP_MS = 1000;

/**
 * Deletes kept rules whose expiry passes while a plan is being applied, at their expiry, oldest first, one after
 * the other, even while a create step waits for room in the vendor's windows: a long run of creates never
 * delays a revocation until the next run (docs/architecture.md, Expiry).
 */
export function watchExpiries(
  kept: readonly KeptRule[],
  clock: () => Date,
  onDue: (step: DeleteStep) => Promise<void>,
): ExpiryWatch {
  const pending = kept
    .map((rule) => ({ rule, at: parseInstant(rule.expiresAt) ?? Infinity }))
    .filter((entry) => Number.isFinite(entry.at))
    .sort((a, b) => a.at - b.at || a.rule.ruleId - b.rule.ruleId);
  let chain: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const schedule = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const next = pending[0];
    if (stopped || next === undefined) return;
    const delay = Math.min(Math.max(0, next.at - clock().getTime()), MAX_SLEEP_MS);
    timer = setTimeout(() => void fire(), delay);
  };
  const fire = (): Promise<void> => {
    const now = clock().getTime();
    while (!stopped && pending[0] !== undefined && pending[0].at <= now) {
      const { rule } = pending.shift() as { rule: KeptRule };
      chain = chain.then(() => onDue(expiryDelete(rule)));
    }
    schedule();
    return chain;
  };

  schedule();
  return {
    due: fire,
    stop: async () => {
      stopped = true;
      schedule();
      await chain;
    },
  };
}

function expiryDelete(rule: KeptRule): DeleteStep {
  return {
    kind: "delete",
    ruleId: rule.ruleId,
    ruleName: rule.ruleName,
    grantId: rule.grantId,
    reason: "expired",
    expiresAt: rule.expiresAt,
  };
}
