import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLandingCache, landingCachePathFor } from "../../src/reconcile/landing-cache.js";

const A = "a".repeat(40);
const B = "b".repeat(40);
const snapshot = {
  commit: B,
  landings: new Map([
    ["grants/x.yaml", { commit: A, seconds: 100 }],
    ["grants/y.yaml", { commit: B, seconds: 200 }],
    ["grants/z.yaml", { commit: A, seconds: 100 }],
  ]),
};

describe("the landing-times cache file", () => {
  let dir: string;
  let warnings: string[];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "grantops-landing-cache-"));
    warnings = [];
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));
  const cacheAt = (path: string, readOnly = false) =>
    createLandingCache(path, { onWarning: (message) => warnings.push(message), readOnly });

  it("lives beside the verification state file and round-trips one snapshot per repository and branch", async () => {
    const path = landingCachePathFor(join(dir, "state", "verified-rules.json"));
    expect(path).toBe(join(dir, "state", "landing-times.json"));
    const cache = cacheAt(path);
    expect(await cache.read("/repo", "main")).toBeNull();
    await cache.write("/repo", "main", snapshot);
    await cache.write("/repo", "release", { commit: A, landings: new Map() });
    await cache.write("/other", "main", { commit: A, landings: new Map() });
    expect(await cache.read("/repo", "main")).toEqual(snapshot);
    expect((await cache.read("/repo", "release"))?.commit).toBe(A);
    expect(await cache.read("/elsewhere", "main")).toBeNull();
    expect(await readdir(join(dir, "state"))).toEqual(["landing-times.json"]);
    expect(warnings).toEqual([]);
  });

  it("a file that is not a version-1 landing cache, or an entry that does not check out, is ignored with a warning", async () => {
    const path = join(dir, "landing-times.json");
    await cacheAt(path).write("/repo", "main", snapshot);
    const good = await readFile(path, "utf8");
    const bad = [
      "",
      "null",
      '{"version":1',
      JSON.stringify({ version: 2, kind: "grantops-landing-times", entries: [] }),
      JSON.stringify({ version: 1, kind: "grantops-verified-rules", entries: [] }),
      good.replace(`"commit":"${B}"`, '"commit":"HEAD"'),
      good.replace(`["${A}",100]`, `["${A}","100"]`),
      good.replace(`["${A}",100]`, `["--output=x",100]`),
      good.replace('"grants/y.yaml":1', '"grants/y.yaml":5'),
    ];
    for (const text of bad) {
      await writeFile(path, text);
      warnings = [];
      expect(await cacheAt(path).read("/repo", "main")).toBeNull();
      expect(warnings).toHaveLength(1);
    }
  });

  it("an unreadable file is warned about; a cache that cannot be written is warned about, never thrown", async () => {
    const directory = join(dir, "is-a-directory");
    await mkdir(directory);
    expect(await cacheAt(directory).read("/repo", "main")).toBeNull();
    expect(warnings).toHaveLength(1);
    warnings = [];
    await writeFile(join(dir, "plain"), "x");
    await cacheAt(join(dir, "plain", "landing-times.json")).write("/repo", "main", snapshot);
    expect(warnings.join()).toMatch(/could not write/);
  });

  it("a read-only cache (grantops plan) never writes", async () => {
    const path = join(dir, "landing-times.json");
    await cacheAt(path, true).write("/repo", "main", snapshot);
    expect(await readdir(dir)).toEqual([]);
  });
});
