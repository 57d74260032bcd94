// `grantops plan --format json` (and --out) writes a large plan in pieces, never as one string, and the text is
// still exactly JSON.stringify of the plan set, valid against schemas/plan.schema.json.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, test } from "vitest";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { createE2eWorld, grantYaml, type E2eWorld } from "../helpers/e2e-world.js";
import { runCli } from "../helpers/run-cli.js";

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats.default(ajv);
const validPlan = ajv.compile(JSON.parse(readFileSync("schemas/plan.schema.json", "utf8")) as object);

let world: E2eWorld | undefined;
afterEach(async () => {
  await world?.close();
});

describe("plan --format json", () => {
  test("writes 150 creates in several pieces whose text is JSON.stringify of the plan set; --out the same", async () => {
    const grants: Record<string, string> = {};
    for (let i = 0; i < 150; i += 1) {
      grants[`grants/team/g-${i}.yaml`] = grantYaml({ users: ["alice@example.com"], resources: ["Jira"] });
    }
    world = await createE2eWorld({ grants });
    const pieces: string[] = [];
    const out = join(world.home, "plan.json");
    const run = await runCli(["plan", "--trust-git", "--format", "json", "--out", out], {
      env: world.env,
      cwd: world.home,
      clock: () => world!.now(),
      stdout: (text) => pieces.push(text),
    });
    expect(run.code, run.stderr).toBe(2);
    const text = pieces.join("");
    const set = JSON.parse(text) as { version: number; plans: Array<{ steps: unknown[] }> };
    expect(set.plans[0]!.steps).toHaveLength(150);
    expect(pieces.length).toBeGreaterThan(1);
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(text.length / 2);
    expect(text).toBe(`${JSON.stringify(set, null, 2)}\n`);
    expect(await readFile(out, "utf8")).toBe(text);
    for (const plan of set.plans) expect(validPlan(plan), ajv.errorsText(validPlan.errors)).toBe(true);
  });
});
