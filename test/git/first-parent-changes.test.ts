import { afterEach, describe, expect, it } from "vitest";
import { firstParentChanges } from "../../src/git/first-parent-changes.js";
import { landingTimes } from "../../src/git/landing-times.js";
import { createGitFixture, type GitFixture } from "../helpers/git-fixture.js";

let repo: GitFixture;
afterEach(async () => repo?.cleanup());

describe("firstParentChanges", () => {
  it("lists the paths a push changed with their landings, as landingTimes sees them", async () => {
    repo = await createGitFixture();
    await repo.write("grants/a.yaml", "a1");
    await repo.write("grants/b.yaml", "b1");
    const base = await repo.commit("base", "2026-03-02T09:00:00Z");
    await repo.write("grants/a.yaml", "a2");
    await repo.commit("edit a", "2026-03-02T10:00:00Z");
    const { mergeCommit } = await repo.mergeBranch("feature", "2026-03-02T11:00:00Z", {
      "grants/c.yaml": "c1",
      "grants/b.yaml": null,
    });
    const changes = await firstParentChanges(repo.dir, base, mergeCommit, 10);
    expect(changes.commits).toBe(2);
    expect(changes.reachedFrom).toBe(true);
    expect([...changes.landings.keys()].sort()).toEqual(["grants/a.yaml", "grants/b.yaml", "grants/c.yaml"]);
    const full = await landingTimes(repo.dir, mergeCommit, ["grants/a.yaml", "grants/c.yaml"]);
    expect(changes.landings.get("grants/a.yaml")).toEqual(full.get("grants/a.yaml"));
    expect(changes.landings.get("grants/c.yaml")).toEqual(full.get("grants/c.yaml"));
    expect(full.get("grants/c.yaml")?.commit).toBe(mergeCommit);
  });

  it("does not reach the base when it is not on the first-parent chain, or past the bound", async () => {
    repo = await createGitFixture();
    await repo.write("grants/a.yaml", "a1");
    await repo.commit("root", "2026-03-02T09:00:00Z");
    const { featureCommit, mergeCommit } = await repo.mergeBranch("feature", "2026-03-02T11:00:00Z", {
      "grants/c.yaml": "c1",
    });
    expect((await firstParentChanges(repo.dir, featureCommit, mergeCommit, 10)).reachedFrom).toBe(false);
    await repo.write("grants/a.yaml", "a2");
    const head = await repo.commit("edit a", "2026-03-02T12:00:00Z");
    const root = await repo.head("HEAD~2");
    const bounded = await firstParentChanges(repo.dir, root, head, 1);
    expect(bounded.reachedFrom).toBe(false);
    expect(bounded.commits).toBe(2);
  });
});
