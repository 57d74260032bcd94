import type { CommandRegistrar } from "./program.js";
import { registerValidateCommand } from "./validate-command.js";
import { registerRequestCommand } from "./request-command.js";
import { registerEmulatorCommand } from "./emulator-command.js";

/** Every subcommand, in the order --help lists them. Each lives in its own file in src/cli/. */
export const commands: CommandRegistrar[] = [
  registerValidateCommand,
  registerRequestCommand,
  registerEmulatorCommand,
];
