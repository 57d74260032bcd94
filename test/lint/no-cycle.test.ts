import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The fixtures are excluded from the main lint (they are cyclic on purpose); `ignore: false` lints them with the
// repository's own eslint.config.js, so this proves that `npm run check` fails on an import cycle.
const FIXTURES = "test/fixtures/import-cycle";

async function cycleMessages(files: string[]): Promise<Record<string, string[]>> {
  const eslint = new ESLint({ ignore: false });
  const results = await eslint.lintFiles(files.map((file) => `${FIXTURES}/${file}`));
  return Object.fromEntries(
    results.map((result) => [
      result.filePath.slice(result.filePath.lastIndexOf("/") + 1),
      result.messages.map((message) => `${message.ruleId ?? "fatal"}: ${message.message}`),
    ]),
  );
}

describe("import-x/no-cycle in eslint.config.js", () => {
  it("reports both files of a cyclic pair, and not a file that only imports into the cycle", async () => {
    const messages = await cycleMessages(["first.ts", "second.ts", "acyclic.ts"]);
    expect(messages).toEqual({
      "first.ts": ["import-x/no-cycle: Dependency cycle detected"],
      "second.ts": ["import-x/no-cycle: Dependency cycle detected"],
      "acyclic.ts": [],
    });
  });
});
