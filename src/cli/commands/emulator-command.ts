import { InvalidInputError } from "../../core/model/grantops-error.js";
import { ExitCode } from "../../core/model/exit-codes.js";
import { demoApiKey, demoApiSecret } from "../../emulator/default-seed.js";
import type { ListKey } from "../../emulator/emulator-runtime.js";
import { loadSeedFile } from "../../emulator/load-seed-file.js";
import { startEmulator } from "../../emulator/start-emulator.js";
import type { CliContext } from "../cli-context.js";
import type { CommandRegistrar } from "../program.js";
import { decimalInteger } from "../decimal-integer.js";
import { runAction } from "../run-action.js";

interface EmulatorCommandOptions {
  port: string;
  host: string;
  seed?: string;
  state?: string;
  faults?: string;
  listKey: string;
  rateLimits: boolean;
  writeDelay: string;
}

const listKeys: readonly string[] = ["results", "result", "both"];

export const registerEmulatorCommand: CommandRegistrar = (program, ctx, box) => {
  program
    .command("emulator")
    .summary("run the local Cisco Secure Access API emulator")
    .description(
      "Run the local Cisco Secure Access API emulator (OAuth, rules, private resources, identities, faults). " +
        "Prints 'emulator listening on URL' when ready; stops on SIGTERM/SIGINT. Loopback development tool.",
    )
    .option("--port <n>", "port to listen on (0 = any free port)", "0")
    .option(
      "--host <host>",
      "address to bind (keep it on loopback: the /_emulator/ admin routes have no auth)",
      "127.0.0.1",
    )
    .option("--seed <file>", "seed JSON (schemas/emulator-seed.schema.json); default: the example data")
    .option("--state <file>", "load state from this JSON file if it exists, and write it there on exit")
    .option("--faults <spec>", "fault spec, e.g. 429=0.1,500=0.05,reset=0.01,latency=20-200ms")
    .option("--list-key <key>", "array key of the rules list: results, result or both", "results")
    .option("--no-rate-limits", "disable the per-key policies rate limits (the token limit stays)")
    .option("--write-delay <ms>", "extra time a rule write holds the ruleset lock", "0")
    .action(runAction(ctx, box, (options: EmulatorCommandOptions) => runEmulator(ctx, options)));
};

async function runEmulator(ctx: CliContext, options: EmulatorCommandOptions): Promise<number> {
  const port = integerOption("--port", options.port, 65_535);
  const writeDelayMs = integerOption("--write-delay", options.writeDelay, 60_000);
  if (!listKeys.includes(options.listKey)) {
    throw new InvalidInputError("EMULATOR_OPTION_INVALID", "--list-key must be results, result or both");
  }
  const seed = options.seed === undefined ? undefined : await loadSeedFile(options.seed);
  const emulator = await startEmulator({
    host: options.host,
    port,
    ...(seed ? { seed } : {}),
    ...(options.state ? { statePath: options.state } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    listKey: options.listKey as ListKey,
    limits: options.rateLimits ? {} : { policiesPerMinute: false, policiesPerHour: false },
    writeDelayMs,
    clock: () => ctx.clock().getTime(),
    log: (line) => ctx.stderr(`emulator: ${line}\n`),
  });
  if (!seed) ctx.stderr(`emulator: demo API key ${demoApiKey}, secret ${demoApiSecret} (example data)\n`);
  ctx.stdout(`emulator listening on ${emulator.url}\n`);
  await waitForAbort(ctx.signal);
  await emulator.close();
  ctx.stderr("emulator: stopped\n");
  return ExitCode.ok;
}

function integerOption(name: string, value: string, max: number): number {
  const number = decimalInteger(value) ?? Number.NaN;
  if (!(number <= max)) {
    throw new InvalidInputError("EMULATOR_OPTION_INVALID", `${name} must be an integer from 0 to ${max}`);
  }
  return number;
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
