// The chaos run's grant files: the initial set (short grants that expire during the run, long ones that do not)
// and the git changes made between runs (revoke files, edit one so it is replaced, add new short grants), each
// committed at the real time so landing times are "now".
import type { GitFixture } from "../test/helpers/git-fixture.js";
import { between } from "./chaos-random.js";
import { chaosGrantYaml, type ChaosGrant } from "./chaos-world.js";

export interface ChaosGrantsOptions {
  initial: number;
  /** Share of grants (initial and added) that expire during the run. */
  shortShare: number;
  users: number;
  resources: number;
  /** Short grants expire between this many ms from now and `lastExpiryAt`. */
  minLifeMs: number;
}

export interface ChaosChange {
  revoked: number;
  edited: number;
  added: number;
}

export interface ChaosGrants {
  /** Grant path → its current content model. */
  readonly files: Map<string, ChaosGrant>;
  commitInitial(lastExpiryAt: number): Promise<void>;
  /** One random change, committed; returns what changed. */
  change(lastExpiryAt: number): Promise<ChaosChange>;
  /** Ids of the grants that are live at `nowMs` (file present, not expired). */
  liveIds(nowMs: number): Set<string>;
  commits(): number;
}

export function createChaosGrants(
  repo: GitFixture,
  options: ChaosGrantsOptions,
  random: () => number,
): ChaosGrants {
  const files = new Map<string, ChaosGrant>();
  let next = 0;
  let commits = 0;

  const newGrant = (lastExpiryAt: number): ChaosGrant => {
    const now = Date.now();
    const short = random() < options.shortShare && lastExpiryAt - now > options.minLifeMs;
    return {
      user: between(random, 0, options.users - 1),
      resource: between(random, 0, options.resources - 1),
      expiresAtMs: short
        ? Math.ceil(between(random, now + options.minLifeMs, lastExpiryAt) / 1000) * 1000
        : null,
      revision: 1,
    };
  };
  const put = async (path: string, grant: ChaosGrant): Promise<void> => {
    files.set(path, grant);
    await repo.write(path, chaosGrantYaml(grant));
  };
  const add = async (lastExpiryAt: number): Promise<void> => {
    next++;
    await put(`grants/chaos/team-${next % 7}/g-${next}.yaml`, newGrant(lastExpiryAt));
  };
  const commit = async (message: string): Promise<void> => {
    await repo.commit(message, new Date().toISOString());
    commits++;
  };
  const live = (nowMs: number): string[] =>
    [...files.entries()]
      .filter(([, grant]) => grant.expiresAtMs === null || grant.expiresAtMs > nowMs + 1000)
      .map(([path]) => path);

  return {
    files,
    commits: () => commits,
    async commitInitial(lastExpiryAt) {
      for (let i = 0; i < options.initial; i++) await add(lastExpiryAt);
      await commit("chaos: initial grants");
    },
    async change(lastExpiryAt) {
      const result: ChaosChange = { revoked: 0, edited: 0, added: 0 };
      const candidates = live(Date.now());
      for (let i = between(random, 0, 2); i > 0 && candidates.length > 0; i--) {
        const [path] = candidates.splice(between(random, 0, candidates.length - 1), 1);
        if (path === undefined) break;
        files.delete(path);
        await repo.remove(path);
        result.revoked++;
      }
      const edit = candidates[between(random, 0, candidates.length - 1)];
      const grant = edit === undefined ? undefined : files.get(edit);
      if (edit !== undefined && grant !== undefined && random() < 0.7) {
        await put(edit, { ...grant, revision: grant.revision + 1 });
        result.edited++;
      }
      for (let i = between(random, 0, 2); i > 0; i--) {
        await add(lastExpiryAt);
        result.added++;
      }
      await commit(`chaos: revoke ${result.revoked}, edit ${result.edited}, add ${result.added}`);
      return result;
    },
    liveIds(nowMs) {
      return new Set(
        [...files.entries()]
          .filter(([, grant]) => grant.expiresAtMs === null || grant.expiresAtMs > nowMs)
          .map(([path]) => path.replace(/^grants\//, "").replace(/\.yaml$/, "")),
      );
    },
  };
}
