import type { CommandRegistrar } from "./program.js";
import { registerValidateCommand } from "./commands/validate-command.js";
import { registerRequestCommand } from "./commands/request-command.js";
import { registerRevokeCommand } from "./commands/revoke-command.js";
import { registerExtendCommand } from "./commands/extend-command.js";
import { registerPlanCommand } from "./commands/plan-command.js";
import { registerApplyCommand } from "./commands/apply-command.js";
import { registerSweepCommand } from "./commands/sweep-command.js";
import { registerTidyCommand } from "./commands/tidy-command.js";
import { registerEmulatorCommand } from "./commands/emulator-command.js";
import { registerDemoCommand } from "./commands/demo-command.js";
import { registerServeCommand } from "./commands/serve-command.js";
import { registerPrReportCommand } from "./commands/pr-report-command.js";
import { registerAuditCommand } from "./commands/audit-command.js";
import { registerStatusCommand } from "./commands/status-command.js";

/** Every subcommand, in the order --help lists them. Each lives in its own file in src/cli/commands/. */
export const commands: CommandRegistrar[] = [
  registerValidateCommand,
  registerRequestCommand,
  registerRevokeCommand,
  registerExtendCommand,
  registerPlanCommand,
  registerApplyCommand,
  registerSweepCommand,
  registerTidyCommand,
  registerAuditCommand,
  registerStatusCommand,
  registerEmulatorCommand,
  registerDemoCommand,
  registerServeCommand,
  registerPrReportCommand,
];
