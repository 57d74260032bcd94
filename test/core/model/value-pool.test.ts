import { describe, expect, it } from "vitest";
import { createValuePool } from "../../../src/core/model/value-pool.js";

describe("createValuePool", () => {
  it("keeps the first copy of each text, made by the pool's copy", () => {
    const copies: string[] = [];
    const pool = createValuePool((text) => {
      copies.push(text);
      return text;
    });
    expect(pool.text("alice@example.com")).toBe("alice@example.com");
    expect(pool.text(["alice", "@example.com"].join(""))).toBe("alice@example.com");
    expect(pool.text("bob@example.com")).toBe("bob@example.com");
    expect(copies).toEqual(["alice@example.com", "bob@example.com"]);
  });

  it("makes a shared object once per key and freezes it to the leaves", () => {
    const pool = createValuePool();
    let made = 0;
    const make = () => {
      made += 1;
      return { users: [{ line: 3, column: 9 }], groups: [] as unknown[] };
    };
    const first = pool.shared("3:9", make);
    const second = pool.shared("3:9", make);
    expect(second).toBe(first);
    expect(made).toBe(1);
    expect(pool.shared("4:9", make)).not.toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => first.groups.push("sre")).toThrow(TypeError);
    expect(() => {
      first.users[0]!.line = 1;
    }).toThrow(TypeError);
    expect(first.users[0]).toEqual({ line: 3, column: 9 });
  });
});
