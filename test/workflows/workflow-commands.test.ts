import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { CommanderError } from "commander";
import { buildProgram } from "../../src/cli/program.js";
import { commands } from "../../src/cli/commands.js";
import type { CliContext } from "../../src/cli/cli-context.js";

/** Every `grantops …` command line in the workflows users copy, as argument lists. */
function invocations(): Array<{ file: string; args: string[] }> {
  const found: Array<{ file: string; args: string[] }> = [];
  for (const file of readdirSync(".github/workflows")) {
    for (const line of readFileSync(`.github/workflows/${file}`, "utf8").split("\n")) {
      const match = /^\s*run: npx --no -- grantops (.+)$/.exec(line);
      if (match?.[1])
        found.push({ file, args: [...match[1].matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!) });
    }
  }
  return found;
}

/** Parses argv with the real program, every action replaced by a no-op: only the command line is checked. */
function parse(args: string[]): string {
  let errors = "";
  const ctx = {
    env: {},
    stdout: () => undefined,
    stderr: (text: string) => void (errors += text),
  } as unknown as CliContext;
  const program = buildProgram(ctx, { code: 0 }, commands);
  for (const command of program.commands) command.exitOverride().action(() => undefined);
  try {
    program.parse(["node", "grantops", ...args]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    return errors || error.message;
  }
  return errors;
}

describe("workflow command lines", () => {
  const lines = invocations();

  it("exist for validate, pr-report, apply and sweep", () => {
    expect(lines.map((line) => line.args[0]).sort()).toEqual(["apply", "pr-report", "sweep", "validate"]);
  });

  it.each(lines.map((line) => [`${line.file}: grantops ${line.args.join(" ")}`, line.args] as const))(
    "%s parses with the real CLI (commands, options and required options exist)",
    (_label, args) => {
      expect(parse([...args])).toBe("");
    },
  );

  it("the check itself catches a missing required option", () => {
    expect(parse(["sweep"])).toContain("--org-id");
  });
});
