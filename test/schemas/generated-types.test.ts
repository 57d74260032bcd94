import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { generate, targets } from "../../scripts/gen-types.mjs";

describe("src/core/model/generated/*.ts", () => {
  it.each(targets.map(([schema, out]) => [schema, out] as const))(
    "%s matches %s (run npm run gen:types after changing a schema)",
    async (schema, out) => {
      expect(await readFile(out, "utf8")).toBe(await generate(schema));
    },
  );
});
