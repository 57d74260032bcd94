import { describe, expect, it } from "vitest";
import {
  isPushOnly,
  MAX_PUSH_COMMITS,
  MAX_PUSH_GRANTS,
  pushScope,
  type PushRange,
} from "../../../src/core/plan/push-scope.js";

const range = (overrides: Partial<PushRange> = {}): PushRange => ({
  base: "b".repeat(40),
  head: "h".repeat(40),
  commits: 2,
  reachedBase: true,
  changedPaths: ["grants/team/a.yaml", "docs/readme.md"],
  policyPath: "policy.yaml",
  ...overrides,
});

describe("pushScope", () => {
  it("plans the grants whose files changed, reading both spellings of each file", () => {
    expect(pushScope(range({ changedPaths: ["grants/team/a.yaml", "grants/b.yml", "README.md"] }))).toEqual({
      kind: "partial",
      grantIds: ["b", "team/a"],
      paths: ["grants/b.yaml", "grants/b.yml", "grants/team/a.yaml", "grants/team/a.yml"],
    });
  });

  it("ignores retired grants and files that are not grant files", () => {
    const scope = pushScope(range({ changedPaths: ["grants/expired/old.yaml", "grants/notes.txt"] }));
    expect(scope).toEqual({ kind: "partial", grantIds: [], paths: [] });
  });

  it("plans nothing when the branch did not move", () => {
    expect(pushScope(range({ head: "b".repeat(40), commits: 0, reachedBase: false }))).toEqual({
      kind: "partial",
      grantIds: [],
      paths: [],
    });
  });

  it.each([
    ["no-base", { base: null }],
    ["not-fast-forward", { reachedBase: false }],
    ["too-many-commits", { commits: MAX_PUSH_COMMITS + 1, reachedBase: false }],
    ["policy-changed", { changedPaths: ["grants/a.yaml", "policy.yaml"] }],
    [
      "too-many-grants",
      { changedPaths: Array.from({ length: MAX_PUSH_GRANTS + 1 }, (_, i) => `grants/g${i}.yaml`) },
    ],
    ["grant-key", { changedPaths: [`grants/${"x".repeat(161)}.yaml`] }],
  ] as const)("falls back to a full reconcile: %s", (reason, overrides) => {
    expect(pushScope(range(overrides))).toEqual({ kind: "full", reason });
  });
});

describe("isPushOnly", () => {
  it("is true only when every trigger is a push", () => {
    expect(isPushOnly(["push main@abc", "push main@def"])).toBe(true);
    expect(isPushOnly(["push main@abc", "timer"])).toBe(false);
    expect(isPushOnly(["startup"])).toBe(false);
    expect(isPushOnly(["interval"])).toBe(false);
    expect(isPushOnly([])).toBe(false);
  });
});
