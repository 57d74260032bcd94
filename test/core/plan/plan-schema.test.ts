import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { plan } from "../../../src/core/plan/plan.js";
import {
  approved,
  arbScenario,
  foreignRule,
  grant,
  hoursFromNow,
  managedRule,
  NOW,
  OPTIONS,
  planInput,
  scenarioInput,
  unapproved,
} from "../../helpers/plan-fixtures.js";

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats.default(ajv);
const schema = JSON.parse(readFileSync("schemas/plan.schema.json", "utf8")) as object;
const validate = ajv.compile(schema);

function valid(value: unknown): boolean {
  const ok = validate(value);
  if (!ok) throw new Error(ajv.errorsText(validate.errors));
  return ok;
}

describe("schemas/plan.schema.json", () => {
  it("accepts a plan with every kind of entry", () => {
    const old = grant({ identityIds: [9] });
    const p = plan(
      planInput({
        desired: [
          grant({ breakGlass: true, approval: approved(5, "break-glass") }),
          grant({ grantId: "t/later", startsAt: hoursFromNow(1) }),
          grant({ grantId: "t/wait", approval: unapproved() }),
        ],
        held: [{ grantId: "t/held", reason: "invalid" }],
        actual: [
          managedRule(old, 1),
          managedRule(grant({ grantId: "t/held" }), 2),
          managedRule(grant({ grantId: "t/wait", identityIds: [3] }), 3),
          managedRule(grant({ grantId: "t/x", expiresAt: hoursFromNow(-1) }), 4),
          foreignRule(5, { ruleName: "grantops-hand-made" }),
        ],
      }),
      NOW,
      OPTIONS,
    );
    expect(p.steps.length).toBeGreaterThan(2);
    expect(valid(JSON.parse(JSON.stringify(p)))).toBe(true);
  });

  it("accepts every generated plan", () => {
    fc.assert(
      fc.property(arbScenario, (s) =>
        valid(JSON.parse(JSON.stringify(plan(scenarioInput(s), NOW, OPTIONS)))),
      ),
      { numRuns: 100 },
    );
  });

  it("rejects unknown properties and unknown step kinds", () => {
    const p = JSON.parse(JSON.stringify(plan(planInput({ desired: [grant()] }), NOW, OPTIONS))) as Record<
      string,
      unknown
    >;
    expect(validate({ ...p, extra: 1 })).toBe(false);
    expect(validate({ ...p, steps: [{ kind: "update", ruleId: 1 }] })).toBe(false);
  });
});
