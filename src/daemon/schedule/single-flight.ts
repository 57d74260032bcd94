import type { Logger } from "pino";

/** Runs a job on demand: triggers coalesce, runs never overlap, and a trigger during a run causes one more run. */
export interface SingleFlight {
  /** Asks for a run. Ignored after close(). */
  trigger(reason: string): void;
  /** Resolves when no run is in progress and none is pending. */
  idle(): Promise<void>;
  /** Stops taking triggers, drops pending ones and waits for the current run. */
  close(): Promise<void>;
}

/**
 * Creates a single-flight runner. Triggers given in the same tick, or while a run is in progress, are gathered
 * (deduplicated, in order) and passed to the next run. A run's error is logged and never escapes.
 */
export function createSingleFlight(
  run: (reasons: string[]) => Promise<void>,
  logger: Pick<Logger, "error" | "debug">,
): SingleFlight {
  let pending: Set<string> | null = null;
  let loop: Promise<void> | null = null;
  let closed = false;

  const runOnce = async (reasons: string[]): Promise<void> => {
    try {
      await run(reasons);
    } catch (error) {
      logger.error({ err: error, reasons }, "run failed");
    }
  };

  const drain = async (): Promise<void> => {
    await Promise.resolve(); // let triggers of the same tick join the first run
    while (pending !== null && !closed) {
      const reasons = [...pending];
      pending = null;
      await runOnce(reasons);
    }
    loop = null;
  };

  return {
    trigger(reason) {
      if (closed) {
        logger.debug({ reason }, "trigger ignored: closed");
        return;
      }
      (pending ??= new Set()).add(reason);
      loop ??= drain();
    },
    async idle() {
      while (loop !== null) await loop;
    },
    async close() {
      closed = true;
      pending = null;
      while (loop !== null) await loop;
    },
  };
}
