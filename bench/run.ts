// The bench runner: `npm run bench` runs every benchmark; `npm run bench -- validate plan` runs a subset.
// Prints each bench's figures, then every figure that has a target with a PASS/MISS mark. Exit code 0 even on
// a MISS (benchmarks report, they do not gate); 1 when a bench crashed; 4 for an unknown bench name.
import { runValidateBench } from "./validate-bench.js";
import { runEmulatorBench } from "./emulator-bench.js";
import { runClientBench } from "./client-bench.js";
import { runPlanBench } from "./plan-bench.js";
import { runReconcileCallsBench } from "./reconcile-calls-bench.js";
import { runColdStartBench } from "./cold-start-bench.js";
import { runServeBench } from "./serve-bench.js";
import { runApplyRateBench } from "./apply-rate-bench.js";
import { runChaosBench } from "./chaos-bench.js";
import { runWebhookLoadBench } from "./webhook-load-bench.js";
import { runJournalBench } from "./journal-bench.js";
import { runRevocationBench } from "./revocation-bench.js";
import { runMemoryBench } from "./memory-bench.js";
import { runPushBench } from "./push-bench.js";
import { runHistoryBench } from "./history-bench.js";

type Figures = Record<string, string | number>;
type Op = "<=" | ">=" | "<" | ">" | "=";

interface Bench {
  name: string;
  run: () => Promise<Figures>;
  /** Targets of figures whose label does not end with "(target <op> <number>)". */
  targets: Array<{ key: string; op: Op; value: number; label: string }>;
}

const benches: Bench[] = [
  { name: "validate", run: runValidateBench, targets: [] },
  {
    name: "emulator",
    run: runEmulatorBench,
    targets: [
      {
        key: "emulator.createsPerMinute",
        op: ">=",
        value: 20_000,
        label: "emulator sequential rule creates/min",
      },
    ],
  },
  {
    name: "client",
    run: runClientBench,
    targets: [
      {
        key: "requestsPerListing",
        op: "=",
        value: 11,
        label: "client: requests to list 10,000 rules (10 full pages + the empty one)",
      },
      { key: "tokenRequests", op: "=", value: 1, label: "client: token requests for 6 listings" },
    ],
  },
  { name: "plan", run: runPlanBench, targets: [] },
  // Inline targets: peak RSS of a 50,000-grant plan, per grant above the read + parse baseline and in all.
  { name: "memory", run: runMemoryBench, targets: [] },
  // Inline targets: 100,000 commits of history add <= 5% over 1,000 to the desired-state read, cold and warm.
  { name: "history", run: runHistoryBench, targets: [] },
  { name: "calls", run: runReconcileCallsBench, targets: [] },
  { name: "cold-start", run: runColdStartBench, targets: [] },
  {
    name: "serve",
    run: runServeBench,
    targets: [
      { key: "serve push-to-rule p95 (ms)", op: "<=", value: 2000, label: "serve: push-to-rule p95 (ms)" },
      { key: "serve expiry lag p99 (ms)", op: "<=", value: 2000, label: "serve: expiry lag p99 (ms)" },
      {
        key: "serve expiry lag, notify receiver sleeping 5 s, p99 (ms)",
        op: "<=",
        value: 2000,
        label: "serve: expiry lag p99 with a notification receiver sleeping 5 s (ms)",
      },
    ],
  },
  // Inline targets: "push -> rule p95 (ms) (target <= 1000)", "full rule listings during 20 pushes (target = 0)".
  { name: "push", run: runPushBench, targets: [] },
  // Inline targets: "sustained creates as % of the limit (target >= 90)", "chaos invariants failed (target = 0)".
  { name: "apply-rate", run: () => runApplyRateBench(), targets: [] },
  // Inline target: "last of 500 deletes after the expiry, 1,400 creates just before (ms) (target <= 5000)".
  { name: "revocation", run: runRevocationBench, targets: [] },
  // Inline target: "webhook RSS growth under 1000 slow connections, MiB (target <= 96)".
  { name: "webhook-load", run: runWebhookLoadBench, targets: [] },
  { name: "chaos", run: runChaosBench, targets: [] },
  // Inline targets: one push per publish of a 1,000-step run, audit and audit --verify of 100,000 entries.
  { name: "journal", run: runJournalBench, targets: [] },
];

interface Verdict {
  bench: string;
  label: string;
  value: string | number;
  target: string;
  pass: boolean;
}

const inlineTarget = /\(target (<=|>=|<|>|=) ?(\d+(?:\.\d+)?)\)$/;

function meets(value: number, op: Op, target: number): boolean {
  switch (op) {
    case "<=":
      return value <= target;
    case ">=":
      return value >= target;
    case "<":
      return value < target;
    case ">":
      return value > target;
    case "=":
      return value === target;
  }
}

function verdicts(bench: Bench, figures: Figures): Verdict[] {
  const found: Verdict[] = [];
  for (const [label, value] of Object.entries(figures)) {
    const match = inlineTarget.exec(label);
    if (match === null) continue;
    const op = match[1] as Op;
    const target = Number(match[2]);
    found.push({
      bench: bench.name,
      label,
      value,
      target: `${op} ${target}`,
      pass: typeof value === "number" && meets(value, op, target),
    });
  }
  for (const target of bench.targets) {
    const value = figures[target.key];
    found.push({
      bench: bench.name,
      label: target.label,
      value: value ?? "missing",
      target: `${target.op} ${target.value}`,
      pass: typeof value === "number" && meets(value, target.op, target.value),
    });
  }
  return found;
}

function pick(args: string[]): Bench[] {
  if (args.length === 0) return benches;
  const unknown = args.filter((name) => !benches.some((bench) => bench.name === name));
  if (unknown.length > 0) {
    console.error(
      `unknown bench: ${unknown.join(", ")}; choose from ${benches.map((bench) => bench.name).join(", ")}`,
    );
    process.exit(4);
  }
  return benches.filter((bench) => args.includes(bench.name));
}

async function main(): Promise<number> {
  const selected = pick(process.argv.slice(2).filter((arg) => arg !== "--"));
  const results: Verdict[] = [];
  const crashed: string[] = [];
  const started = performance.now();
  for (const bench of selected) {
    console.log(`\n=== ${bench.name} ===`);
    const benchStarted = performance.now();
    try {
      const figures = await bench.run();
      results.push(...verdicts(bench, figures));
    } catch (error) {
      crashed.push(bench.name);
      console.error(`bench ${bench.name} failed:`, error);
    }
    console.log(`(${bench.name}: ${((performance.now() - benchStarted) / 1000).toFixed(1)} s)`);
    (globalThis as { gc?: () => void }).gc?.();
  }
  console.log(`\n=== targets (${((performance.now() - started) / 1000).toFixed(1)} s in all) ===`);
  for (const verdict of results) {
    console.log(
      `${verdict.pass ? "PASS" : "MISS"}  [${verdict.bench}] ${verdict.label}: ${verdict.value} (target ${verdict.target})`,
    );
  }
  const missed = results.filter((verdict) => !verdict.pass).length;
  console.log(
    `${results.length - missed} PASS, ${missed} MISS${crashed.length > 0 ? `, crashed: ${crashed.join(", ")}` : ""}`,
  );
  return crashed.length > 0 ? 1 : 0;
}

process.exitCode = await main();
