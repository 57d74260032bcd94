import { InvalidInputError } from "../../core/model/grantops-error.js";
import { runDemo } from "../../demo/run-demo.js";
import { decimalInteger } from "../decimal-integer.js";
import { runAction } from "../run-action.js";
import type { CommandRegistrar } from "../program.js";

export const registerDemoCommand: CommandRegistrar = (program, ctx, box) => {
  program
    .command("demo")
    .summary("see it work end to end against the emulator, in seconds")
    .description(
      "See it work: starts the Secure Access emulator on a free loopback port and a temporary grants repository, " +
        "then plans, applies, revokes, restores a tampered rule and lets a short grant expire. Cleans up after itself.",
    )
    .option("--short-duration <seconds>", "lifetime of the grant that expires during the demo", "20")
    .action(
      runAction(ctx, box, async (flags: { shortDuration: string }) => {
        const seconds = decimalInteger(flags.shortDuration) ?? 0;
        if (seconds < 2 || seconds > 600) {
          throw new InvalidInputError(
            "bad-duration",
            "--short-duration must be a whole number of seconds, 2 to 600",
          );
        }
        return runDemo({
          shortDurationSeconds: seconds,
          out: ctx.stdout,
          clock: ctx.clock,
          signal: ctx.signal,
        });
      }),
    );
};
