// A push costs what it changes (docs/serve-and-workflows.md): `grantops serve` (in-process, real CLI, a local
// repository) with 10,000 grants, their 10,000 rules in the emulator and 100,000 commits of history (built with
// `git fast-import`); each push adds one grant file and the webhook is delivered at once: push -> rule latency.
// Target: p95 <= 1 s. Also counted: full rule listings during the pushes (target 0: each push finds its grant's
// rules by name).
import { spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fingerprint, STATE_FILE_NAME } from "../src/reconcile/verification-cache.js";
import { ruleNameStem } from "../src/core/plan/rules-of-grants.js";
import {
  benchGrant,
  benchProgram,
  createBenchWorld,
  createSteps,
  type BenchWorld,
} from "./reconcile-bench-world.js";
import { deliver, pushPayload, WEBHOOK_SECRET } from "../test/serve-e2e/serve-world.js";
import { percentile } from "./percentile.js";

const GRANTS = Number(process.env["PB_GRANTS"] ?? 10_000);
const HISTORY = Number(process.env["PB_HISTORY"] ?? 100_000);
const PUSHES = 20;
const requests: string[] = [];
const options = {
  grants: GRANTS,
  users: 500,
  resources: 50,
  foreign: 0,
  log: (line: string) => requests.push(line),
};

export async function runPushBench(): Promise<Record<string, string | number>> {
  let started = performance.now();
  const world = await createBenchWorld(options);
  try {
    await fastImport(world.repo.dir, noiseHistory(HISTORY));
    const built = Math.round(performance.now() - started);
    started = performance.now();
    const planned = await world.cli(["plan", "--trust-git", "--format", "json"], { keep: true });
    world.injectRules(createSteps(planned).map((step) => step.rule));
    await warmVerificationCache(world);
    const rules = world.emulator.state.rules.length;
    const serve = await startServe(world);
    try {
      await waitFor(async () => (await scope(serve.url, "full", "trigger")) >= 1, 300_000);
      const startup = Math.round(performance.now() - started);
      const listingsBefore = listings();
      const latencies: number[] = [];
      for (let i = 0; i < PUSHES; i++) latencies.push(await pushOne(world, serve.url, i));
      const fullListings = listings() - listingsBefore;
      const partial = await scope(serve.url, "partial", "push");
      const figures = {
        "push: grants": GRANTS,
        "push: rules in the emulator": rules,
        "push: commits of history": HISTORY + 1,
        "push: history built with git fast-import (ms)": built,
        "push: plan + serve startup (full reconcile) (ms)": startup,
        "push: pushes planned by their changes": partial,
        "push: push -> rule p50 (ms)": percentile(latencies, 50),
        "push: push -> rule max (ms)": Math.max(...latencies),
        "push: push -> rule p95 (ms) (target <= 1000)": percentile(latencies, 95),
        [`push: full rule listings during ${PUSHES} pushes (target = 0)`]: fullListings,
      };
      for (const [label, value] of Object.entries(figures)) console.log(`${label}: ${value}`);
      return figures;
    } finally {
      await serve.stop();
    }
  } finally {
    await world.close();
  }
}

/** Full rule listings so far: pages of GET /policies/v2/rules without the ruleName filter, from offset 0. */
function listings(): number {
  return requests
    .filter((line) => /^GET \/policies\/v2\/rules\?/.test(line) && !line.includes("ruleName="))
    .filter((line) => /[?&]offset=0(&|\s)/.test(line)).length;
}

/** Adds one grant file in a new commit (fast-import, no working tree) and delivers its push webhook. */
async function pushOne(world: BenchWorld, url: string, i: number): Promise<number> {
  const id = `push/p-${i}`;
  const before = await scope(url, "partial", "push").then(async (p) => p + (await scope(url, "full", "")));
  await fastImport(world.repo.dir, commitStream([[`grants/${id}.yaml`, benchGrant(i, options)]]));
  const sha = (await world.repo.head("main")).trim();
  const stem = ruleNameStem("grantops-", id);
  const sent = performance.now();
  if ((await deliver(url, "push", pushPayload(sha))) !== 202) throw new Error("webhook refused");
  await waitFor(() => world.emulator.state.rules.some((rule) => rule.ruleName.startsWith(stem)), 60_000);
  const latency = Math.round(performance.now() - sent);
  // The next push waits for this run to end (journal written), so each one measures a push alone.
  await waitFor(
    async () => (await scope(url, "partial", "push")) + (await scope(url, "full", "")) > before,
    60_000,
  );
  return latency;
}

/** 100,000 commits after the grants' commit, each changing a file outside grants/ (a changelog). */
function noiseHistory(commits: number): string {
  const start = Math.floor(Date.now() / 1000) - 500;
  const parts: string[] = [];
  for (let i = 0; i < commits; i++) {
    const text = `change ${i}\n`;
    parts.push(
      `commit refs/heads/main\ncommitter Bench <bench@example.com> ${start + Math.floor(i / 250)} +0000\n` +
        `data 7\nchange\n${i === 0 ? "from refs/heads/main^0\n" : ""}` +
        `M 100644 inline docs/changelog.txt\ndata ${Buffer.byteLength(text)}\n${text}\n`,
    );
  }
  return parts.join("");
}

function commitStream(files: Array<[string, string]>): string {
  const now = Math.floor(Date.now() / 1000);
  return (
    `commit refs/heads/main\ncommitter Bench <bench@example.com> ${now} +0000\ndata 4\npush\n` +
    `from refs/heads/main^0\n` +
    files
      .map(([path, text]) => `M 100644 inline ${path}\ndata ${Buffer.byteLength(text)}\n${text}\n`)
      .join("")
  );
}

function fastImport(dir: string, stream: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["fast-import", "--quiet", "--force"], {
      cwd: dir,
      stdio: ["pipe", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import: ${stderr}`))));
    child.stdin.end(stream);
  });
}

/** The state file an earlier apply would have left: every injected rule verified (no GETs at startup). */
async function warmVerificationCache(world: BenchWorld): Promise<void> {
  const verifiedAt = new Date().toISOString();
  const managed = world.emulator.state.rules.filter((rule) => rule.ruleName.startsWith("grantops-"));
  const verified = Object.fromEntries(
    managed.map((rule) => [String(rule.ruleId), { fingerprint: fingerprint(rule), verifiedAt }]),
  );
  const organizations = {
    [String(world.emulator.state.organizationId)]: { verified, created: managed.map((rule) => rule.ruleId) },
  };
  await mkdir(join(world.home, ".grantops"), { recursive: true });
  await writeFile(
    join(world.home, ".grantops", STATE_FILE_NAME),
    JSON.stringify({ version: 1, organizations }),
  );
}

async function startServe(world: BenchWorld): Promise<{ url: string; stop(): Promise<number> }> {
  const controller = new AbortController();
  let stdout = "";
  let onListening: (url: string) => void = () => undefined;
  const listening = new Promise<string>((resolve) => (onListening = resolve));
  const program = await benchProgram();
  const exit = program.runProgram(
    {
      env: {
        ...world.env,
        GRANTOPS_WEBHOOK_SECRET: WEBHOOK_SECRET,
        GRANTOPS_LOG_LEVEL: process.env["PB_LOG"] ?? "silent",
      },
      cwd: world.home,
      stdout: (text) => {
        stdout += text;
        const match = /^listening on (\S+)$/m.exec(stdout);
        if (match?.[1] !== undefined) onListening(match[1]);
      },
      stderr: (text) => {
        if (process.env["PB_LOG"]) process.stderr.write(text);
      },
      clock: () => new Date(),
      fetch: globalThis.fetch,
      signal: controller.signal,
    },
    ["node", "grantops", "serve", "--repo", world.repo.dir, "--port", "0", "--trust-git", "--interval", "1h"],
    program.commands,
  );
  const url = await Promise.race([
    listening,
    exit.then((code) => {
      throw new Error(`serve exited ${code}`);
    }),
  ]);
  return {
    url,
    stop: () => {
      controller.abort();
      return exit;
    },
  };
}

/** grantops_reconcile_scope_total for a scope and reason (every full reason when reason is ""). */
async function scope(url: string, kind: string, reason: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const pattern = new RegExp(
    `^grantops_reconcile_scope_total\\{scope="${kind}",reason="${reason || '[^"]*'}"\\} (\\d+)$`,
    "gm",
  );
  return [...text.matchAll(pattern)].reduce((sum, match) => sum + Number(match[1]), 0);
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error("push bench: timed out");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
