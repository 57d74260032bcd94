import type { Logger } from "pino";

/** Plans pull requests one at a time; several events for the same PR while it waits collapse into one job. */
export interface PrPlanQueue {
  /** Queues a plan of the PR at headSha (a newer sha replaces a waiting one, keeping its place). Ignored after close(). */
  enqueue(pullNumber: number, headSha: string): void;
  idle(): Promise<void>;
  /** Stops taking jobs, drops waiting ones and waits for the current one. */
  close(): Promise<void>;
}

export function createPrPlanQueue(
  plan: (pullNumber: number, headSha: string) => Promise<void>,
  logger: Pick<Logger, "error" | "debug">,
): PrPlanQueue {
  const waiting = new Map<number, string>();
  let loop: Promise<void> | null = null;
  let closed = false;

  const drain = async (): Promise<void> => {
    await Promise.resolve(); // let events of the same tick collapse first
    for (let next = first(waiting); next && !closed; next = first(waiting)) {
      const [pullNumber, headSha] = next;
      waiting.delete(pullNumber);
      try {
        await plan(pullNumber, headSha);
      } catch (error) {
        logger.error({ err: error, pullNumber, headSha }, "pull request plan failed");
      }
    }
    loop = null;
  };

  return {
    enqueue(pullNumber, headSha) {
      if (closed) return logger.debug({ pullNumber }, "pull request plan ignored: closed");
      waiting.set(pullNumber, headSha);
      loop ??= drain();
    },
    async idle() {
      while (loop !== null) await loop;
    },
    async close() {
      closed = true;
      waiting.clear();
      while (loop !== null) await loop;
    },
  };
}

function first(map: Map<number, string>): [number, string] | undefined {
  return map.entries().next().value;
}
