// Benchmark of memory per grant (docs/testing-and-benchmarks.md): peak RSS of a fresh process running a full
// `grantops plan --format json` of 50,000 grant files against 50,000 rules (25,000 managed, 25,000 foreign; the
// emulator in a process of its own), against the peak RSS of a fresh process that merely reads and YAML-parses
// the same files (the baseline of the plan bench's ratio). Targets: <= 4 KB per grant above that baseline and
// <= 400 MB in all.
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stateToSeed } from "../src/emulator/emulator-state.js";
import {
  createBenchWorld,
  createSteps,
  startEmulatorProcess,
  type BenchWorld,
} from "./reconcile-bench-world.js";
import { planInFreshProcess, warmVerification } from "./plan-bench.js";
import { percentile } from "./percentile.js";

const GRANTS = 50_000;
/**
 * Fresh processes per measurement: a peak RSS depends on when V8 happens to collect (one baseline read 95 MB and
 * the next 141 MB for the same files), so each figure is the median of three, and the three are printed.
 */
const SAMPLES = 3;

/** Peak RSS (MB) of a fresh Node process that reads every file from the working tree and YAML-parses it. */
async function readAndParseInFreshProcess(world: BenchWorld): Promise<number> {
  const listPath = join(world.home, "bench-files.json");
  await writeFile(listPath, JSON.stringify(world.files));
  const script =
    `import { readFileSync } from "node:fs";` +
    `import { join } from "node:path";` +
    `const { LineCounter, parseDocument } = await import(${JSON.stringify(import.meta.resolve("yaml"))});` +
    `const files = JSON.parse(readFileSync(${JSON.stringify(listPath)}, "utf8"));` +
    `const decoder = new TextDecoder("utf-8", { fatal: true });` +
    `let parsed = 0;` +
    `for (const file of files) {` +
    `  const doc = parseDocument(decoder.decode(readFileSync(join(${JSON.stringify(world.repo.dir)}, file))), { lineCounter: new LineCounter() });` +
    `  if (doc.toJS() !== null) parsed += 1;` +
    `}` +
    `process.stdout.write(JSON.stringify({ parsed, rss: process.resourceUsage().maxRSS }));`;
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      env: { PATH: process.env["PATH"] ?? "" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.on("error", reject);
    child.on("close", () => resolve(text));
  });
  const result = JSON.parse(stdout) as { parsed: number; rss: number };
  if (result.parsed !== world.files.length) throw new Error(`the baseline parsed ${result.parsed} files`);
  return Math.round(result.rss / 1024);
}

/** The figures at `grants` grant files (50,000 in `npm run bench`; smaller counts for a quick look). */
export async function measureMemory(grants: number): Promise<Record<string, string | number>> {
  const managed = grants / 2;
  const world = await createBenchWorld({ grants, users: 1_000, resources: 100, foreign: managed - 3 });
  let remote: Awaited<ReturnType<typeof startEmulatorProcess>> | undefined;
  try {
    const first = await world.cli(["plan", "--trust-git", "--format", "json"], { keep: true });
    const creates = createSteps(first);
    if (creates.length !== grants) throw new Error(`expected ${grants} creates, got ${creates.length}`);
    world.injectRules(creates.slice(0, managed).map((step) => step.rule));
    await warmVerification(world);
    const rules = world.emulator.state.rules.length;
    const seedPath = join(world.home, "bench-seed.json");
    await writeFile(seedPath, JSON.stringify(stateToSeed(world.emulator.state)));
    remote = await startEmulatorProcess(seedPath);
    const baselines: number[] = [];
    const plans: Array<Awaited<ReturnType<typeof planInFreshProcess>>> = [];
    for (let sample = 0; sample < SAMPLES; sample += 1) {
      baselines.push(await readAndParseInFreshProcess(world));
      plans.push(await planInFreshProcess(world, remote.url));
    }
    const baselineMb = percentile(baselines, 50);
    const plan = {
      rssMb: percentile(
        plans.map((p) => p.rssMb),
        50,
      ),
      ms: percentile(
        plans.map((p) => p.ms),
        50,
      ),
      how: plans[0]!.how,
    };
    const perGrantKb = ((plan.rssMb - baselineMb) * 1024) / grants;
    const label = grants.toLocaleString("en-US");
    return {
      [`memory.grants / rules`]: `${label} / ${rules}`,
      [`memory.read+parse baseline peak RSS MB (fresh process), median of ${SAMPLES}`]: baselineMb,
      [`memory.read+parse baseline peak RSS MB, each`]: baselines.join(" / "),
      [`memory.plan peak RSS MB, ${label} grants, median of ${SAMPLES} (target <= 400)`]: plan.rssMb,
      [`memory.plan peak RSS MB, each`]: plans.map((p) => p.rssMb).join(" / "),
      [`memory.plan KB per grant above the baseline (target <= 4)`]: Number(perGrantKb.toFixed(2)),
      [`memory.plan ms (fresh process, cold), median`]: Math.round(plan.ms),
      [`memory.plan process via`]: plan.how,
    };
  } finally {
    await remote?.stop();
    await world.close();
  }
}

export async function runMemoryBench(): Promise<Record<string, string | number>> {
  const figures = await measureMemory(GRANTS);
  console.log("memory bench:");
  for (const [label, value] of Object.entries(figures)) console.log(`  ${label}: ${value}`);
  return figures;
}
