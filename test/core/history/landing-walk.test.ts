import { describe, expect, it } from "vitest";
import { continuesFrom, landingWalk } from "../../../src/core/history/landing-walk.js";

describe("landingWalk", () => {
  it("walks nothing at the cached commit, the commits since another one, all without a cache", () => {
    expect(landingWalk("c", "c")).toEqual({ kind: "cached" });
    expect(landingWalk("c", "n")).toEqual({ kind: "since", from: "c" });
    expect(landingWalk(null, "n")).toEqual({ kind: "full", reason: "no cache" });
  });
});

describe("continuesFrom", () => {
  it("is true only when the oldest commit listed has the cached commit as its first parent", () => {
    expect(continuesFrom("n c2\nc2 c\n", "c")).toBe(true);
    expect(continuesFrom("m base c\n", "c")).toBe(false); // c is the merge's second parent
    expect(continuesFrom("n x\nx y\n", "c")).toBe(false); // rewritten: the walk never met c
    expect(continuesFrom("", "c")).toBe(false);
  });
});
