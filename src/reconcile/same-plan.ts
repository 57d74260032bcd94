import type { Plan } from "../core/model/types.js";

/**
 * Whether a saved plan still describes what the world needs: the same organization, the same commit and
 * the same steps. The time it was made and the next wake-up do not matter.
 */
export function samePlan(saved: Plan, fresh: Plan): boolean {
  return (
    saved.organization === fresh.organization &&
    saved.orgId === fresh.orgId &&
    saved.commit === fresh.commit &&
    JSON.stringify(saved.steps) === JSON.stringify(fresh.steps)
  );
}
