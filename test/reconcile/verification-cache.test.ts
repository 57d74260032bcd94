import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  createVerificationCache,
  readStateFile,
  statePathFor,
  TIMESTAMP_GRANULARITY_MS,
  writeStateFile,
} from "../../src/reconcile/verification-cache.js";
import { grant, managedRule, summaryOf } from "../helpers/plan-fixtures.js";

const rule = summaryOf(managedRule(grant(), 7, { modifiedAt: "2026-11-26T08:00:00.000Z" }));
const at = (ms: number): Date => new Date(Date.parse("2026-11-26T08:00:00.000Z") + ms);

describe("verification cache", () => {
  it("a verification counts only once the clock is past modifiedAt by more than the granularity", () => {
    const cache = createVerificationCache(null);
    expect(cache.markVerified(rule, at(TIMESTAMP_GRANULARITY_MS))).toBe(false);
    expect(cache.isVerified(rule)).toBe(false);
    expect(cache.markVerified(rule, at(TIMESTAMP_GRANULARITY_MS + 1))).toBe(true);
    expect(cache.isVerified(rule)).toBe(true);
  });

  it("any change of a listed field (modifiedAt, description, name, action, enabled) voids it; the priority does not", () => {
    const cache = createVerificationCache(null);
    cache.markVerified(rule, at(5000));
    expect(cache.isVerified({ ...rule, rulePriority: 99 })).toBe(true);
    for (const change of [
      { modifiedAt: "2026-11-26T08:00:00.001Z" },
      { ruleDescription: `${rule.ruleDescription} ` },
      { ruleName: "grantops-other" },
      { ruleAction: "block" as const },
      { ruleIsEnabled: false },
    ]) {
      expect(cache.isVerified({ ...rule, ...change })).toBe(false);
    }
  });

  it("a rule without a readable modifiedAt is never cached", () => {
    const cache = createVerificationCache(null);
    expect(cache.markVerified({ ...rule, modifiedAt: "soon" }, at(60_000))).toBe(false);
  });

  it("keeps the record of created rules and prunes rules that are gone", () => {
    const cache = createVerificationCache(null);
    cache.recordCreated(7);
    cache.recordCreated(8);
    cache.markVerified(rule, at(5000));
    cache.prune(new Set([8]));
    expect(cache.created()).toEqual([8]);
    expect(cache.isVerified(rule)).toBe(false);
  });
});

describe("state file", () => {
  let dir = "";
  afterEach(async () => {
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  it("lives beside the journal by default", () => {
    expect(statePathFor("/var/lib/grantops/journal.jsonl")).toBe("/var/lib/grantops/verified-rules.json");
  });

  it("round-trips through an atomic write (no temp file left) per organization", async () => {
    dir = await mkdtemp(join(tmpdir(), "grantops-state-"));
    const path = join(dir, "verified-rules.json");
    const cache = createVerificationCache(null);
    cache.recordCreated(7);
    cache.markVerified(rule, at(5000));
    await writeStateFile(path, { version: 1, organizations: { "8094936": cache.toJson() } });
    expect(await readdir(dir)).toEqual(["verified-rules.json"]);
    const read = await readStateFile(path);
    const again = createVerificationCache(read?.organizations["8094936"] ?? null);
    expect(again.loaded).toBe(true);
    expect(again.isVerified(rule)).toBe(true);
    expect(again.created()).toEqual([7]);
  });

  it("a missing or corrupt file is a cold start, with a warning for the corrupt one", async () => {
    dir = await mkdtemp(join(tmpdir(), "grantops-state-"));
    const warnings: string[] = [];
    expect(await readStateFile(join(dir, "none.json"), (w) => warnings.push(w))).toBeNull();
    expect(warnings).toEqual([]);
    await writeFile(join(dir, "bad.json"), "{not json");
    expect(await readStateFile(join(dir, "bad.json"), (w) => warnings.push(w))).toBeNull();
    expect(warnings).toEqual([expect.stringContaining("empty verification cache")]);
    expect(await readFile(join(dir, "bad.json"), "utf8")).toBe("{not json");
  });
});
