import { describe, expect, it } from "vitest";
import { pino } from "pino";
import { createPrPlanQueue } from "../../src/daemon/schedule/pr-plan-queue.js";

const logger = pino({ level: "silent" });

describe("createPrPlanQueue", () => {
  it("runs serially, keeps arrival order and the latest sha of a waiting PR", async () => {
    const planned: string[] = [];
    let inFlight = 0;
    let max = 0;
    const queue = createPrPlanQueue(async (n, sha) => {
      inFlight += 1;
      max = Math.max(max, inFlight);
      planned.push(`${n}@${sha}`);
      await new Promise((r) => setTimeout(r, 5));
      inFlight -= 1;
    }, logger);
    queue.enqueue(1, "a");
    queue.enqueue(2, "b");
    queue.enqueue(1, "c");
    queue.enqueue(3, "d");
    await queue.idle();
    expect(planned).toEqual(["1@c", "2@b", "3@d"]);
    expect(max).toBe(1);
  });

  it("survives a failing plan and ignores work after close", async () => {
    const planned: number[] = [];
    const queue = createPrPlanQueue(async (n) => {
      planned.push(n);
      await Promise.resolve();
      if (n === 1) throw new Error("github down");
    }, logger);
    queue.enqueue(1, "a");
    queue.enqueue(2, "b");
    await queue.idle();
    await queue.close();
    queue.enqueue(3, "c");
    await queue.idle();
    expect(planned).toEqual([1, 2]);
  });
});
