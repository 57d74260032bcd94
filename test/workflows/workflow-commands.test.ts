import { describe, expect, it } from "vitest";
import { CommanderError } from "commander";
import { parse as parseYaml } from "yaml";
import { actionInvocation } from "../../src/action/action-invocation.js";
import { readRepositoryFile, workflowFiles } from "./workflow-files.js";
import { buildProgram } from "../../src/cli/program.js";
import { commands } from "../../src/cli/commands.js";
import type { CliContext } from "../../src/cli/cli-context.js";

const actionInputs = Object.keys(
  (parseYaml(readRepositoryFile("action.yml")) as { inputs: Record<string, unknown> }).inputs,
);

/** Every step that runs the grantops Action, with the CLI command line its inputs map to. */
function invocations(): Array<{ file: string; inputs: Record<string, string>; args: string[] }> {
  const found: Array<{ file: string; inputs: Record<string, string>; args: string[] }> = [];
  for (const { path, text } of workflowFiles()) {
    const workflow = parseYaml(text) as {
      jobs: Record<string, { steps?: Array<{ uses?: string; with?: object }> }>;
    };
    for (const step of Object.values(workflow.jobs).flatMap((job) => job.steps ?? [])) {
      if (step.uses !== "./" && !/\/grantops@/.test(step.uses ?? "")) continue;
      // Expressions become sample values: what matters is which inputs are set.
      const inputs = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([k, v]) => [k, /\$\{\{/.test(String(v)) ? "x" : String(v)]),
      );
      const env = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));
      const event = { pull_request: { number: 12, head: { sha: "a".repeat(40) }, base: { ref: "main" } } };
      const run = actionInvocation({
        env: { ...env, GITHUB_REPOSITORY: "acme/grants", RUNNER_TEMP: "/t" },
        event,
      });
      found.push({ file: path, inputs, args: run.args });
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

describe("workflow command lines (the grantops Action's inputs, mapped onto the CLI)", () => {
  const lines = invocations();

  it("exist for pr-report, apply and sweep in the dogfood and the template workflows", () => {
    expect(lines.map((line) => line.args[0]).sort()).toEqual([
      "apply",
      "apply",
      "pr-report",
      "pr-report",
      "pr-report",
      "pr-report",
      "sweep",
      "sweep",
    ]);
  });

  it.each(lines.map((line) => [`${line.file}: ${line.args[0]}`, line.inputs] as const))(
    "%s sets only inputs action.yml declares",
    (_label, inputs) => {
      for (const name of Object.keys(inputs)) expect(actionInputs).toContain(name);
    },
  );

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
