/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument -- JSON reply bodies are untyped */
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator/start-emulator.js";
import { defaultSeed } from "../../src/emulator/default-seed.js";
import { createEmulatorState } from "../../src/emulator/emulator-state.js";
import { createRule, deleteRule, updateRule } from "../../src/emulator/rules-store.js";
import { validateRuleInput } from "../../src/emulator/validate-rule-input.js";
import { connect, grantRule, ruleOrder, type Api } from "./emulator-test-client.js";

let api: Api;
beforeEach(async () => {
  api = await connect(await startEmulator());
});
afterEach(async () => api.emu.close());

const defaults: Array<[string, number, boolean]> = [
  ["Default Internet Rule", 0, true],
  ["Default Private Access Rule", 0, true],
];
function expected(names: string[]): Array<[string, number, boolean]> {
  return [...names.map((name): [string, number, boolean] => [name, 0, false]), ...defaults].map(
    ([name, , isDefault], index) => [name, index + 1, isDefault],
  );
}

describe("rule priorities", () => {
  it("places creates without a priority just before the default rules, contiguously", async () => {
    await api.call("POST", "/policies/v2/rules", grantRule("a1"));
    await api.call("POST", "/policies/v2/rules", grantRule("a2"));
    expect(await ruleOrder(api)).toEqual(expected(["Engineering wiki access", "a1", "a2"]));
  });

  it("inserts at a given priority and shifts the others; past the end clamps before the defaults", async () => {
    await api.call("POST", "/policies/v2/rules", grantRule("a1"));
    const first = (await api.call("POST", "/policies/v2/rules", grantRule("top", { rulePriority: 1 }))).json;
    expect(first.rulePriority).toBe(1);
    const far = (await api.call("POST", "/policies/v2/rules", grantRule("far", { rulePriority: 99 }))).json;
    expect(far.rulePriority).toBe(4);
    expect(await ruleOrder(api)).toEqual(expected(["top", "Engineering wiki access", "a1", "far"]));
  });

  it("moves a rule on PUT with a new priority, shifting the others", async () => {
    const a1 = (await api.call("POST", "/policies/v2/rules", grantRule("a1"))).json;
    await api.call("POST", "/policies/v2/rules", grantRule("a2"));
    const moved = await api.call(
      "PUT",
      `/policies/v2/rules/${a1.ruleId}`,
      grantRule("a1", { rulePriority: 3 }),
    );
    expect(moved.json.rulePriority).toBe(3);
    expect(await ruleOrder(api)).toEqual(expected(["Engineering wiki access", "a2", "a1"]));
    await api.call("PUT", `/policies/v2/rules/${a1.ruleId}`, grantRule("a1", { rulePriority: 1 }));
    expect(await ruleOrder(api)).toEqual(expected(["a1", "Engineering wiki access", "a2"]));
  });

  it("closes the gap on delete, so other rules get their earlier priorities back", async () => {
    const before = await ruleOrder(api);
    const ids: number[] = [];
    for (const name of ["t1", "t2", "t3"]) {
      ids.push(
        (await api.call("POST", "/policies/v2/rules", grantRule(name, { rulePriority: 1 }))).json.ruleId,
      );
    }
    for (const id of ids) await api.call("DELETE", `/policies/v2/rules/${id}`);
    expect(await ruleOrder(api)).toEqual(before);
  });

  it("keeps priorities unique, contiguous 1..N with the defaults last, for any sequence of writes (property)", () => {
    type Op =
      | { kind: "create"; priority?: number }
      | { kind: "move"; pick: number; priority: number }
      | { kind: "delete"; pick: number };
    const op = fc.oneof(
      fc.record({
        kind: fc.constant("create" as const),
        priority: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
      }),
      fc.record({
        kind: fc.constant("move" as const),
        pick: fc.nat(),
        priority: fc.integer({ min: 1, max: 12 }),
      }),
      fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), (ops: Op[]) => {
        const state = createEmulatorState(defaultSeed(), "2026-01-01T00:00:00.000Z");
        const stamp = { actor: "test", nowIso: "2026-01-01T00:00:00.000Z" };
        ops.forEach((step, index) => {
          const custom = state.rules.filter((rule) => !rule.ruleIsDefault);
          if (step.kind === "create") {
            createRule(
              state,
              validateRuleInput(grantRule(`r${index}`, { rulePriority: step.priority }), false),
              stamp,
            );
          } else if (custom.length > 0) {
            const target = custom[step.pick % custom.length]!;
            if (step.kind === "delete") deleteRule(state, target.ruleId);
            else {
              const input = validateRuleInput(
                grantRule(target.ruleName, { rulePriority: step.priority }),
                true,
              );
              updateRule(state, target.ruleId, input, stamp);
              expect(target.rulePriority).toBe(Math.min(step.priority, custom.length));
            }
          }
          expect(state.rules.map((rule) => rule.rulePriority)).toEqual(state.rules.map((_r, i) => i + 1));
          expect(state.rules.slice(-2).map((rule) => rule.ruleIsDefault)).toEqual([true, true]);
          expect(state.rules.filter((rule) => rule.ruleIsDefault)).toHaveLength(2);
        });
      }),
      { numRuns: 150 },
    );
  });
});
