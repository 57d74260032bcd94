import { describe, expect, it } from "vitest";
import { createVendorBudget } from "../../src/secure-access/vendor-budget.js";

const window = [{ name: "minute", limit: 10, windowMs: 60_000 }];

/** Resolves `true` when the promise settles within a few turns of the event loop, else `false`. */
async function settles(promise: Promise<unknown>): Promise<boolean> {
  const done = await Promise.race([
    promise.then(() => true),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), 400)),
  ]);
  return done;
}

describe("createVendorBudget", () => {
  it("stops creates at limit - reserve while deletes and reads still find room", async () => {
    let now = 1_000_000;
    const budget = createVendorBudget({ now: () => now, windows: window, baseReserve: 0 });
    // 3 rules expire within the minute: with the listing page, 4 calls are kept from creates.
    budget.expectExpiries([now + 10_000, now + 20_000, now + 59_000, now + 61_000], 5);
    expect(budget.reserves()).toEqual([{ window: "minute", limit: 10, used: 0, reserve: 4 }]);
    for (let i = 0; i < 6; i++) await budget.acquire("grant");
    const seventhCreate = budget.acquire("grant");
    expect(await settles(seventhCreate)).toBe(false);
    for (let i = 0; i < 3; i++) await budget.acquire("revoke", now + 10_000 * i);
    await budget.acquire("read");
    expect(budget.reserves()[0]).toMatchObject({ used: 10 });
    now += 60_001;
    expect(await settles(seventhCreate)).toBe(true);
  });

  it("lets waiting revokes go first, oldest expiry first, then reads, then creates", async () => {
    let now = 5_000_000;
    const budget = createVendorBudget({ now: () => now, windows: window, baseReserve: 0 });
    for (let i = 0; i < 10; i++) await budget.acquire("read");
    const order: string[] = [];
    const wait = (lane: "revoke" | "read" | "grant", label: string, expiry?: number) =>
      budget.acquire(lane, expiry).then(() => order.push(label));
    const all = [
      wait("grant", "create"),
      wait("read", "read"),
      wait("revoke", "revoke (no expiry)"),
      wait("revoke", "expired later", now + 500),
      wait("revoke", "expired first", now - 500),
    ];
    expect(await settles(Promise.race(all))).toBe(false);
    now += 60_001;
    await Promise.all(all);
    expect(order).toEqual(["expired first", "expired later", "revoke (no expiry)", "read", "create"]);
  });

  it("holds creates back after a 429 until its Retry-After has passed", async () => {
    let now = 0;
    const budget = createVendorBudget({ now: () => now, windows: window, baseReserve: 0 });
    budget.limited(5_000);
    const create = budget.acquire("grant");
    expect(await settles(budget.acquire("revoke"))).toBe(true);
    expect(await settles(create)).toBe(false);
    now = 5_000;
    expect(await settles(create)).toBe(true);
  });

  it("forgets the reserve of an expiry whose rule was deleted", () => {
    const now = 0;
    const budget = createVendorBudget({ now: () => now, windows: window, baseReserve: 2 });
    budget.expectExpiries([1_000, 2_000], 10);
    expect(budget.reserves()[0]?.reserve).toBe(5);
    budget.spent(1_000);
    expect(budget.reserves()[0]?.reserve).toBe(4);
  });
});
