import { emptyFaultPlan, type FaultOutcome, type FaultPlan } from "./fault-spec.js";

/** What to do to one request: wait `latencyMs`, then fail with `outcome` (or serve it normally). */
export interface FaultDecision {
  latencyMs: number;
  outcome?: FaultOutcome;
}

/**
 * Decides faults for vendor requests from the current plan, with injectable randomness. Order: failNext, then
 * failNth, then one random draw against the probabilities (409 only on rule writes). Only routes whose groups
 * match the plan's `routes` are affected (and counted for failNth).
 */
export class FaultInjector {
  private current: FaultPlan = emptyFaultPlan();
  private seen = 0;

  constructor(private readonly random: () => number) {}

  get plan(): FaultPlan {
    return this.current;
  }

  set(plan: FaultPlan): void {
    this.current = structuredClone(plan);
    this.seen = 0;
  }

  clear(): void {
    this.set(emptyFaultPlan());
  }

  decide(groups: readonly string[]): FaultDecision {
    const plan = this.current;
    if (!plan.routes.some((group) => group === "all" || groups.includes(group))) return { latencyMs: 0 };
    this.seen++;
    const latencyMs = plan.latency ? this.latency(plan.latency) : 0;
    if (plan.failNext && plan.failNext.count > 0) {
      plan.failNext.count--;
      return { latencyMs, outcome: plan.failNext.outcome };
    }
    if (plan.failNth && this.seen === plan.failNth.n) return { latencyMs, outcome: plan.failNth.outcome };
    return { latencyMs, ...this.draw(plan, groups.includes("writes")) };
  }

  private latency({ minMs, maxMs }: { minMs: number; maxMs: number }): number {
    return Math.round(minMs + this.random() * (maxMs - minMs));
  }

  private draw(plan: FaultPlan, isRuleWrite: boolean): { outcome?: FaultOutcome } {
    if (plan.rates.length === 0) return {};
    const roll = this.random();
    let cumulative = 0;
    for (const [kind, rate] of plan.rates) {
      if (kind === "409" && !isRuleWrite) continue;
      cumulative += rate;
      if (roll < cumulative) return { outcome: /^\d+$/.test(kind) ? Number(kind) : (kind as FaultOutcome) };
    }
    return {};
  }
}
