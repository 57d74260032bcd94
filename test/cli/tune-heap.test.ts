import { describe, expect, it } from "vitest";
import { tuneHeap } from "../../src/cli/tune-heap.js";

describe("tuneHeap", () => {
  it("bounds V8's heap growth to 1.5x the live heap", () => {
    const set: string[] = [];
    tuneHeap(["--enable-source-maps"], (flags) => set.push(flags));
    expect(set).toEqual(["--heap-growing-percent=50"]);
  });

  it("keeps a growth given on the node command line (either spelling)", () => {
    const set: string[] = [];
    tuneHeap(["--heap-growing-percent=0"], (flags) => set.push(flags));
    tuneHeap(["--heap_growing_percent=200"], (flags) => set.push(flags));
    expect(set).toEqual([]);
  });
});
