import { describe, expect, it } from "vitest";
import { createDeliveryCache } from "../../src/daemon/http/delivery-cache.js";

describe("createDeliveryCache", () => {
  it("reports a repeated id and forgets the least recently seen beyond its capacity", () => {
    const cache = createDeliveryCache(3);
    expect(["a", "b", "c"].map((id) => cache.seen(id))).toEqual([false, false, false]);
    expect(cache.seen("a")).toBe(true); // refreshes a
    expect(cache.seen("d")).toBe(false); // evicts b
    expect(cache.size).toBe(3);
    expect(cache.seen("b")).toBe(false);
    expect(cache.seen("a")).toBe(true);
  });

  it("stays bounded", () => {
    const cache = createDeliveryCache(100);
    for (let i = 0; i < 10_000; i += 1) cache.seen(`id-${i}`);
    expect(cache.size).toBe(100);
  });
});
