import { readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { InvalidInputError } from "../core/model/grantops-error.js";
import type { EmulatorSeed } from "./emulator-seed.js";
import { seedProblems } from "./seed-problems.js";

const schemaUrl = new URL("../../schemas/emulator-seed.schema.json", import.meta.url);
let compiled: ValidateFunction | undefined;

function seedValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    compiled = ajv.compile(JSON.parse(readFileSync(schemaUrl, "utf8")) as object);
  }
  return compiled;
}

/** Every problem of a seed document (schema first, then cross-item checks), as "path message" lines. */
export function listSeedProblems(data: unknown): string[] {
  const validate = seedValidator();
  if (!validate(data)) return (validate.errors ?? []).map(describeAjvError);
  return seedProblems(data as EmulatorSeed);
}

/** Validates a seed document; throws InvalidInputError listing every problem. `source` names it in the message. */
export function validateSeed(data: unknown, source = "seed"): EmulatorSeed {
  const problems = listSeedProblems(data);
  if (problems.length > 0) {
    throw new InvalidInputError(
      "EMULATOR_SEED_INVALID",
      `${source} is not a valid emulator seed (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((problem) => `  - ${problem}`).join("\n"),
    );
  }
  return data as EmulatorSeed;
}

function describeAjvError(error: ErrorObject): string {
  const path = error.instancePath === "" ? "/" : error.instancePath;
  const extra =
    error.keyword === "additionalProperties"
      ? ` (${String((error.params as { additionalProperty?: string }).additionalProperty)})`
      : error.keyword === "enum"
        ? ` (${((error.params as { allowedValues?: unknown[] }).allowedValues ?? []).join(", ")})`
        : "";
  return `${path} ${error.message ?? "is invalid"}${extra}`;
}
