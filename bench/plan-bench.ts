// Benchmark of a full `grantops plan` at scale (docs/testing-and-benchmarks.md): 10,000 grant files in one commit of a real git
// repository and 10,000 rules in the emulator (5,000 managed for half of those grants, 5,000 foreign). The plan
// (read files at the commit + validate + landing times + cached lookups + list every rule + plan + JSON output)
// is compared with merely reading and YAML-parsing the same files (target <= 2x). Peak RSS is measured in a fresh
// process running the plan alone (target <= 300 MB; memory per grant at 50,000 grants: bench/memory-bench.ts).
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LineCounter, parseDocument } from "yaml";
import { mkdir, writeFile } from "node:fs/promises";
import {
  createVerificationCache,
  statePathFor,
  writeStateFile,
} from "../src/reconcile/verification-cache.js";
import { stateToSeed } from "../src/emulator/emulator-state.js";
import {
  createBenchWorld,
  createSteps,
  startEmulatorProcess,
  type BenchWorld,
  type EmulatorProcess,
} from "./reconcile-bench-world.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const GRANTS = 10_000;
const MANAGED = 5_000;
const options = { grants: GRANTS, users: 1_000, resources: 100, foreign: 5_000 - 3 };
const ROUNDS = 5;

/**
 * The baseline: read every file of the commit from the working tree (synchronously, the fastest way) and
 * YAML-parse it with positions. Nothing else: no validation, no git, no network.
 */
function readAndParse(dir: string, files: string[]): Promise<number> {
  let parsed = 0;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for (const file of files) {
    const bytes = readFileSync(join(dir, file));
    const doc = parseDocument(decoder.decode(bytes), { lineCounter: new LineCounter() });
    if (doc.toJS() !== null) parsed += 1;
  }
  return Promise.resolve(parsed);
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** `grantops plan` in a fresh Node process (the built dist when present, else tsx): its peak RSS and time. */
export async function planInFreshProcess(
  world: BenchWorld,
  url: string,
): Promise<{ rssMb: number; ms: number; how: string }> {
  const built = join(root, "dist", "cli", "main.js");
  const how = existsSync(built) ? "dist" : "tsx";
  const main = how === "dist" ? built : join(root, "src", "cli", "main.ts");
  const script =
    `const m = await import(${JSON.stringify(main)});` +
    `const code = await m.main(["node", "grantops", "plan", "--trust-git", "--format", "json"]);` +
    `process.stderr.write("\\nBENCH " + JSON.stringify({ code, rss: process.resourceUsage().maxRSS }) + "\\n");`;
  const args = [...(how === "tsx" ? ["--import", "tsx"] : []), "--input-type=module", "-e", script];
  const started = performance.now();
  const stderr = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: world.home,
      env: { PATH: process.env["PATH"] ?? "", ...world.env, GRANTOPS_ACME_API_URL: url },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let text = "";
    child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.on("error", reject);
    child.on("close", () => resolve(text));
  });
  const ms = performance.now() - started;
  const line = stderr.split("\n").find((l) => l.startsWith("BENCH "));
  if (line === undefined) throw new Error(`the fresh plan process did not report: ${stderr.slice(0, 500)}`);
  const result = JSON.parse(line.slice(6)) as { code: number; rss: number };
  if (result.code !== 2)
    throw new Error(`the fresh plan process exited ${result.code}: ${stderr.slice(0, 500)}`);
  return { rssMb: Math.round(result.rss / 1024), ms, how };
}

export async function runPlanBench(): Promise<Record<string, string | number>> {
  const world = await createBenchWorld(options);
  let remote: EmulatorProcess | undefined;
  try {
    // Warm-up (JIT, git object cache) and the plan whose first 5,000 creates become the managed rules.
    const first = await world.cli(["plan", "--trust-git", "--format", "json"], { keep: true });
    const creates = createSteps(first);
    if (creates.length !== GRANTS) throw new Error(`expected ${GRANTS} creates, got ${creates.length}`);
    world.injectRules(creates.slice(0, MANAGED).map((step) => step.rule));
    await warmVerification(world);
    const rules = world.emulator.state.rules.length;
    await checkPlan(world, undefined);

    // The same world in an emulator process of its own (as the vendor is remote), then alternate the runs.
    const seedPath = join(world.home, "bench-seed.json");
    await writeFile(seedPath, JSON.stringify(stateToSeed(world.emulator.state)));
    remote = await startEmulatorProcess(seedPath);
    const url = remote.url;
    await checkPlan(world, url);
    const parseRuns: number[] = [];
    const remoteRuns: number[] = [];
    const localRuns: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      parseRuns.push(await timed(() => readAndParse(world.repo.dir, world.files)));
      remoteRuns.push(await timed(() => planOnce(world, url)));
      if (round < 2) localRuns.push(await timed(() => planOnce(world, undefined)));
    }
    const parseMs = Math.min(...parseRuns);
    const remoteMs = Math.min(...remoteRuns);
    const localMs = Math.min(...localRuns);
    const fresh = await planInFreshProcess(world, url);
    const figures = {
      "plan.grants": GRANTS,
      "plan.rules (5,000 managed + 5,000 foreign)": rules,
      "plan.distinct users / resources looked up": `${options.users} / ${options.resources}`,
      "plan.read+parse ms (10k files)": Math.round(parseMs),
      "plan.read+parse ms, each round": parseRuns.map(Math.round).join(" / "),
      "plan.full plan ms (emulator in its own process)": Math.round(remoteMs),
      "plan.full plan ms, each round": remoteRuns.map(Math.round).join(" / "),
      "plan.plan / read+parse ratio (target <= 2)": Number((remoteMs / parseMs).toFixed(2)),
      "plan.full plan ms (emulator in this process, its CPU included)": Math.round(localMs),
      "plan.ratio with the emulator in this process": Number((localMs / parseMs).toFixed(2)),
      "plan.fresh process plan ms (cold)": Math.round(fresh.ms),
      "plan.fresh process peak RSS MB (target <= 300)": fresh.rssMb,
      "plan.fresh process via": fresh.how,
    };
    console.log("plan bench:");
    for (const [label, value] of Object.entries(figures)) console.log(`  ${label}: ${value}`);
    return figures;
  } finally {
    await remote?.stop();
    await world.close();
  }
}

/**
 * The verification state an earlier apply would have left (docs/plan-and-safety.md): every injected managed rule
 * seen with its conditions, so the measured plan is the steady state (no rule GETs), as the calls bench measures.
 */
export async function warmVerification(world: BenchWorld): Promise<void> {
  const { state } = world.emulator;
  const cache = createVerificationCache(null);
  const at = new Date();
  for (const rule of state.rules) if (rule.ruleName.startsWith("grantops-")) cache.markVerified(rule, at);
  const path = statePathFor(join(world.home, ".grantops", "journal.jsonl"));
  await mkdir(join(world.home, ".grantops"), { recursive: true });
  await writeStateFile(path, {
    version: 1,
    organizations: { [String(state.organizationId)]: cache.toJson() },
  });
}

async function planOnce(world: BenchWorld, url: string | undefined): Promise<void> {
  const run = await world.cli(["plan", "--trust-git", "--format", "json"], url === undefined ? {} : { url });
  if (run.code !== 2) throw new Error(`plan exited ${run.code}: ${run.stderr.slice(0, 300)}`);
}

/** The plan of the prepared world: 5,000 creates, 5,000 kept (also warms the path up). */
async function checkPlan(world: BenchWorld, url: string | undefined): Promise<void> {
  const run = await world.cli(["plan", "--trust-git", "--format", "json"], {
    keep: true,
    ...(url === undefined ? {} : { url }),
  });
  const plan = (JSON.parse(run.stdout) as { plans: Array<{ steps: unknown[]; kept: unknown[] }> }).plans[0]!;
  if (plan.steps.length !== GRANTS - MANAGED || plan.kept.length !== MANAGED) {
    throw new Error(`unexpected plan: ${plan.steps.length} steps, ${plan.kept.length} kept`);
  }
}
