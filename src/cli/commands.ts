import type { CommandRegistrar } from "./program.js";
import { registerValidateCommand } from "./validate-command.js";
import { registerRequestCommand } from "./request-command.js";
import { registerPlanCommand } from "./plan-command.js";
import { registerApplyCommand } from "./apply-command.js";
import { registerSweepCommand } from "./sweep-command.js";
import { registerTidyCommand } from "./tidy-command.js";
import { registerEmulatorCommand } from "./emulator-command.js";
import { registerDemoCommand } from "./demo-command.js";
import { registerServeCommand } from "./serve-command.js";
import { registerPrReportCommand } from "./pr-report-command.js";
import { registerAuditCommand } from "./audit-command.js";

/** Every subcommand, in the order --help lists them. Each lives in its own file in src/cli/. */
export const commands: CommandRegistrar[] = [
  registerValidateCommand,
  registerRequestCommand,
  registerPlanCommand,
  registerApplyCommand,
  registerSweepCommand,
  registerTidyCommand,
  registerAuditCommand,
  registerEmulatorCommand,
  registerDemoCommand,
  registerServeCommand,
  registerPrReportCommand,
];
