// Vendor calls of a steady-state reconcile (docs/testing-and-benchmarks.md): `grantops apply` with nothing to change against N
// rules costs ceil(N/1000) list calls (+1 empty page when N is an exact multiple of 1000: the client stops at the
// first page shorter than the limit), identity lookups (one search per distinct user when there are at most 25, else
// one listing of every directory user up front: ceil((users+1)/5000) pages), one private-resources listing, one token, zero
// writes and zero rule GETs once the verification cache is warm (a first run GETs each managed rule once). A
// Terraform-style refresh would GET every rule: N calls.
import { DEFAULT_IDENTITY_BULK_THRESHOLD } from "../src/secure-access/client-settings.js";
import { IDENTITY_BULK_PAGE_LIMIT } from "../src/secure-access/create-identity-directory.js";
import { createBenchWorld, createSteps } from "./reconcile-bench-world.js";

const GRANTS = 1_000;
const USERS = 200;
const RESOURCES = 50;

interface CallCount {
  rules: number;
  byRoute: Record<string, number>;
  list: number;
  expectedList: number;
  identities: number;
  expectedIdentities: number;
  resources: number;
  tokens: number;
  writes: number;
  ruleGets: number;
  exitCode: number;
}

/** A world with `totalRules` rules, 1,000 of them managed and in sync; counts the calls of one apply. */
async function steadyStateCalls(totalRules: number): Promise<CallCount> {
  const world = await createBenchWorld({
    grants: GRANTS,
    users: USERS,
    resources: RESOURCES,
    foreign: totalRules - GRANTS - 3,
  });
  try {
    const first = await world.cli(["plan", "--trust-git", "--format", "json"], { keep: true });
    world.injectRules(createSteps(first).map((step) => step.rule));
    const rules = world.emulator.state.rules.length;
    // A first apply verifies every managed rule once (one GET each) and fills the verification cache; the
    // measured run is the steady state after it.
    const warm = await world.cli(["apply", "--trust-git"], { keep: true });
    if (!warm.stdout.includes("applied: 0 ok, 0 failed, 0 skipped")) {
      throw new Error(`the warming apply changed something: ${warm.stdout.slice(-300)}`);
    }
    const before = world.emulator.counters();
    const run = await world.cli(["apply", "--trust-git"], { keep: true });
    if (!run.stdout.includes("applied: 0 ok, 0 failed, 0 skipped")) {
      throw new Error(`the steady-state apply changed something: ${run.stdout.slice(-300)}`);
    }
    const byRoute = Object.fromEntries(
      Object.entries(world.emulator.counters())
        .map(([route, n]) => [route, n - (before[route] ?? 0)] as const)
        .filter(([, n]) => n > 0),
    );
    const sum = (pattern: RegExp): number =>
      Object.entries(byRoute)
        .filter(([key]) => pattern.test(key))
        .reduce((total, [, n]) => total + n, 0);
    return {
      rules,
      byRoute,
      list: sum(/^GET \/policies\/v2\/rules \d+$/),
      expectedList: Math.ceil(rules / 1000) + (rules % 1000 === 0 ? 1 : 0),
      identities: sum(/^GET \/reports\/v2\/identities/),
      expectedIdentities: expectedIdentityCalls(
        world.emulator.state.identities.filter((identity) => identity.type.type === "directory_user").length,
      ),
      resources: sum(/^GET \/policies\/v2\/privateResources/),
      tokens: sum(/^POST \/auth\/v2\/token/),
      writes: sum(/^(POST|PUT|DELETE) \/policies\/v2\/rules/),
      ruleGets: sum(/^GET \/policies\/v2\/rules\/\{ruleId\}/),
      exitCode: run.code,
    };
  } finally {
    await world.close();
  }
}

/**
 * Searches for the first DEFAULT_IDENTITY_BULK_THRESHOLD distinct users, then (more users than that) pages of
 * 5000 of the whole directory until a short page.
 */
function expectedIdentityCalls(directoryUsers: number): number {
  // The resolve stage announces its distinct names (expectLookups): past the threshold the directory is listed at
  // once, without the 25 single searches that used to come first.
  if (USERS <= DEFAULT_IDENTITY_BULK_THRESHOLD) return USERS;
  return Math.floor(directoryUsers / IDENTITY_BULK_PAGE_LIMIT) + 1;
}

export async function runReconcileCallsBench(): Promise<Record<string, string | number>> {
  const figures: Record<string, string | number> = {};
  console.log("reconcile calls bench (apply with nothing to change):");
  for (const total of [2_500, 3_000]) {
    const calls = await steadyStateCalls(total);
    const label = `calls.${calls.rules} rules`;
    console.log(
      `  ${calls.rules} rules (1,000 managed), ${USERS} distinct users, ${RESOURCES} resources: ` +
        Object.entries(calls.byRoute)
          .map(([route, n]) => `${route} ×${n}`)
          .join(", "),
    );
    const listTarget =
      calls.expectedList === Math.ceil(calls.rules / 1000)
        ? "list calls, ceil(rules/1000)"
        : "list calls, ceil(rules/1000) + the empty page after an exact multiple";
    figures[`${label}: ${listTarget} (target = ${calls.expectedList})`] = calls.list;
    figures[
      `${label}: identity lookups for ${USERS} users (more than ${DEFAULT_IDENTITY_BULK_THRESHOLD}): ` +
        `the directory listing only (target = ${calls.expectedIdentities})`
    ] = calls.identities;
    figures[`${label}: private-resource listings (target = 1)`] = calls.resources;
    figures[`${label}: token requests (target = 1)`] = calls.tokens;
    figures[`${label}: writes (target = 0)`] = calls.writes;
    figures[`${label}: rule GETs, a per-rule refresh would make ${calls.rules} (target = 0)`] =
      calls.ruleGets;
    figures[`${label}: exit code (target = 0)`] = calls.exitCode;
  }
  for (const [label, value] of Object.entries(figures)) console.log(`  ${label}: ${value}`);
  return figures;
}
