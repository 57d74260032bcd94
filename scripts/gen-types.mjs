// Generates TypeScript types from the JSON Schemas in schemas/ (the single source of truth).
// Run `npm run gen:types` after changing a schema; test/schemas/generated-types.test.ts fails when they drift.
import { compileFromFile } from "json-schema-to-typescript";
import { writeFile, readFile } from "node:fs/promises";

export const targets = [
  ["schemas/grant.schema.json", "src/core/model/generated/grant-file.ts"],
  ["schemas/policy.schema.json", "src/core/model/generated/policy-file.ts"],
];

export async function generate(schemaPath) {
  const banner = `/* Generated from ${schemaPath} by scripts/gen-types.mjs. Do not edit by hand: edit the schema and run npm run gen:types. */`;
  return compileFromFile(schemaPath, {
    bannerComment: banner,
    maxItems: -1,
    additionalProperties: false,
    style: JSON.parse(await readFile(".prettierrc.json", "utf8")),
  });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  for (const [schema, out] of targets) await writeFile(out, await generate(schema));
}
