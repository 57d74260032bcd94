import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { batchChunks, jsonChunks } from "../../../src/core/report/json-chunks.js";
import { formatPlans, planSetJsonChunks } from "../../../src/core/report/format-plan.js";
import { plan } from "../../../src/core/plan/plan.js";
import { arbScenario, grant, NOW, OPTIONS, planInput, scenarioInput } from "../../helpers/plan-fixtures.js";

describe("jsonChunks", () => {
  it("joins to JSON.stringify(value, null, 2) byte for byte, whatever the value and the depth", () => {
    const anything = fc.anything({
      withSparseArray: true,
      withNullPrototype: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withObjectString: true,
    });
    fc.assert(
      fc.property(anything, fc.integer({ min: 0, max: 6 }), (value, depth) => {
        expect([...jsonChunks(value, depth)].join("")).toBe(JSON.stringify(value, null, 2) ?? "");
      }),
      { numRuns: 2000 },
    );
  });

  it("leaves out what JSON.stringify leaves out of objects and writes null for it in arrays", () => {
    const value = {
      a: undefined,
      b: () => 1,
      c: [undefined, Symbol("s"), () => 2],
      d: { e: undefined },
      f: "x\ny",
    };
    expect([...jsonChunks(value)].join("")).toBe(JSON.stringify(value, null, 2));
  });

  it("writes a long array one element per piece, and batchChunks joins pieces up to a size", () => {
    const value = { items: Array.from({ length: 100 }, (_, index) => ({ index, text: "x".repeat(50) })) };
    const pieces = [...jsonChunks(value)];
    expect(pieces.length).toBeGreaterThan(200);
    const batches = [...batchChunks(pieces, 1000)];
    expect(batches.length).toBeGreaterThan(5);
    expect(batches.slice(0, -1).every((batch) => batch.length >= 1000)).toBe(true);
    expect(batches.join("")).toBe(JSON.stringify(value, null, 2));
  });
});

describe("planSetJsonChunks", () => {
  it("is formatPlans(plans, 'json') byte for byte for generated plans", () => {
    fc.assert(
      fc.property(fc.array(arbScenario, { maxLength: 3 }), (scenarios) => {
        const plans = scenarios.map((s) => plan(scenarioInput(s), NOW, OPTIONS));
        expect([...planSetJsonChunks(plans)].join("")).toBe(formatPlans(plans, "json"));
      }),
      { numRuns: 100 },
    );
  });

  it("is formatPlans(plans, 'json') for a plan of 1,000 creates, in pieces", () => {
    const desired = Array.from({ length: 1000 }, (_, i) => grant({ grantId: `team/g-${i}` }));
    const plans = [plan(planInput({ desired }), NOW, OPTIONS)];
    expect(plans[0]!.steps).toHaveLength(1000);
    const pieces = [...planSetJsonChunks(plans)];
    expect(pieces.length).toBeGreaterThan(1000);
    expect(pieces.join("")).toBe(formatPlans(plans, "json"));
  });
});
