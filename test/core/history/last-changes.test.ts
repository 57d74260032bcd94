import { describe, expect, it } from "vitest";
import {
  mergeLastChanges,
  recordLastChanges,
  type LastChanges,
  type LoggedCommit,
} from "../../../src/core/history/last-changes.js";

const commit = (sha: string, seconds: number, changes: Array<[string, boolean]>): LoggedCommit => ({
  sha,
  seconds,
  changes: changes.map(([path, deleted]) => ({ path, deleted })),
});

describe("recordLastChanges", () => {
  it("keeps the newest change of each path, a deletion hiding older landings", () => {
    const changes: LastChanges = new Map();
    recordLastChanges(changes, commit("c3", 3, [["a", false]]));
    recordLastChanges(
      changes,
      commit("c2", 2, [
        ["a", true],
        ["b", true],
      ]),
    );
    recordLastChanges(
      changes,
      commit("c1", 1, [
        ["a", false],
        ["b", false],
        ["c", false],
      ]),
    );
    expect(changes).toEqual(
      new Map([
        ["a", { commit: "c3", seconds: 3 }],
        ["b", null],
        ["c", { commit: "c1", seconds: 1 }],
      ]),
    );
  });
});

describe("mergeLastChanges", () => {
  it("applies the changes since the cached commit: changed paths move, deleted ones go, others stay", () => {
    const base = new Map([
      ["kept", { commit: "old", seconds: 1 }],
      ["changed", { commit: "old", seconds: 1 }],
      ["deleted", { commit: "old", seconds: 1 }],
    ]);
    const merged = mergeLastChanges(
      base,
      new Map([
        ["changed", { commit: "new", seconds: 9 }],
        ["deleted", null],
        ["added", { commit: "new", seconds: 9 }],
      ]),
    );
    expect(merged).toEqual(
      new Map([
        ["kept", { commit: "old", seconds: 1 }],
        ["changed", { commit: "new", seconds: 9 }],
        ["added", { commit: "new", seconds: 9 }],
      ]),
    );
    expect(base.get("deleted")).toEqual({ commit: "old", seconds: 1 });
  });

  it("a path deleted then added back since the cached commit lands where it came back", () => {
    const changes: LastChanges = new Map();
    recordLastChanges(changes, commit("readd", 5, [["a", false]]));
    recordLastChanges(changes, commit("remove", 4, [["a", true]]));
    const merged = mergeLastChanges(new Map([["a", { commit: "first", seconds: 1 }]]), changes);
    expect(merged.get("a")).toEqual({ commit: "readd", seconds: 5 });
  });
});
