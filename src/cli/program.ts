import { Command, CommanderError } from "commander";
import type { CliContext } from "./cli-context.js";
import type { ExitBox } from "./run-action.js";
import { ExitCode } from "../core/model/exit-codes.js";

/** A command module registers its subcommand on the program. One file per command in src/cli/commands/. */
export type CommandRegistrar = (program: Command, ctx: CliContext, box: ExitBox) => void;

const noCommands: CommandRegistrar[] = [];

export function buildProgram(
  ctx: CliContext,
  box: ExitBox,
  commands: CommandRegistrar[] = noCommands,
): Command {
  const program = new Command("grantops")
    .description(
      "Policy-as-code GitOps reconciler for just-in-time access through Cisco Secure Access.\n" +
        "Grant files in git are the requests; merging is the approval; grantops makes the Access Policy match.",
    )
    .version("0.1.0")
    .exitOverride()
    .configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr })
    .showHelpAfterError();
  for (const register of commands) register(program, ctx, box);
  return program;
}

/** Runs the program on argv (as process.argv: node, script, ...args) and returns the exit code. */
export async function runProgram(
  ctx: CliContext,
  argv: string[],
  commands: CommandRegistrar[] = noCommands,
): Promise<number> {
  const box: ExitBox = { code: ExitCode.ok };
  const program = buildProgram(ctx, box, commands);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; usage errors are invalid input.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.invalid;
    }
    throw error;
  }
  return box.code;
}
