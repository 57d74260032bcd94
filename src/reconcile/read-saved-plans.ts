import { readFile } from "node:fs/promises";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { readSchema } from "../grants/schema-validators.js";
import { InvalidInputError } from "../core/model/grantops-error.js";
import type { Plan } from "../core/model/types.js";

/** Reads a plan set saved by `grantops plan --out` ({"version": 1, "plans": [...]}), checked against the schema. */
export async function readSavedPlans(path: string): Promise<Plan[]> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new InvalidInputError(
      "PLAN_UNREADABLE",
      `cannot read the saved plan ${path}: ${(error as Error).message}`,
    );
  }
  const set = data as { version?: unknown; plans?: unknown };
  if (set.version !== 1 || !Array.isArray(set.plans)) {
    throw new InvalidInputError(
      "PLAN_INVALID",
      `${path} is not a grantops plan set ({"version": 1, "plans": [...]})`,
    );
  }
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile<Plan>(readSchema("plan.schema.json"));
  for (const [index, plan] of (set.plans as unknown[]).entries()) {
    if (!validate(plan)) {
      const why = (validate.errors ?? [])
        .map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`)
        .join("; ");
      throw new InvalidInputError(
        "PLAN_INVALID",
        `${path}: plans[${index}] does not match the plan schema: ${why}`,
      );
    }
  }
  return (set.plans as Plan[]).map(withGroups);
}

/** A plan saved before grants could name groups has no `groups` in its create steps: none. */
function withGroups(plan: Plan): Plan {
  const steps = plan.steps.map((step) =>
    step.kind === "create" && !Array.isArray(step.groups) ? { ...step, groups: [] } : step,
  );
  return { ...plan, steps };
}
