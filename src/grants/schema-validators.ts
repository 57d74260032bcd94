import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { ValidateFunction } from "ajv";

export interface SchemaValidators {
  grant: ValidateFunction;
  policy: ValidateFunction;
}

let validators: SchemaValidators | undefined;

/** The grant and policy schema validators, compiled once per process on first use. */
export function schemaValidators(): SchemaValidators {
  validators ??= compileValidators();
  return validators;
}

function compileValidators(): SchemaValidators {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  addFormats.default(ajv);
  return {
    grant: ajv.compile(readSchema("grant.schema.json")),
    policy: ajv.compile(readSchema("policy.schema.json")),
  };
}

/** Schemas live in schemas/ at the package root: two levels up from src/grants/ and from dist/grants/. */
export function readSchema(name: string): Record<string, unknown> {
  const url = new URL(`../../schemas/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as Record<string, unknown>;
}
